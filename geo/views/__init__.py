"""View models: for one view (indicator, level, region, period, comparison…) the table that
every consumer reads — the map, its table, the key figures, the ranking, downloads, the
exported PNG/PDF, the meeting pack and the CLI — computed once, without Streamlit."""
