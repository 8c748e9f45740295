"""Peta Posyandu's domain package: regions, Posyandu registry, spatial join, indicators,
ranking, classification, hazards and connectivity. No Streamlit here; ``python -m geo``
is its command line."""
