"""Generated SAMPLE data (never real): Posyandu registries and the figures they carry."""
