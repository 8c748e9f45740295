"""Statistics over indicator values: classification into map classes (classify) and
rankings with their change (ranking)."""
