"""Kelola Data: import the user's own registry, boundaries, indicators and hazard zones."""
from components.data_import import render_data_import

render_data_import()
