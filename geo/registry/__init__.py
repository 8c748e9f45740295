"""The Posyandu registry: its schema and rules (schema), placing Posyandu in their village
(join) through the cached spatial index (join_index)."""
