"""Peta Posyandu — Streamlit entry point (navigation, shared sidebar, language, projector).

Run: ``./run.sh`` (or ``streamlit run app.py``). Data come from PETA_DATA_DIR (geo.config).
"""
from components import shell

shell.run()
