"""Peta Posyandu — Streamlit entry: navigation, shared sidebar, language, projector mode.

Run: ``./run.sh`` (or ``streamlit run app.py``). Data come from PETA_DATA_DIR (geo.config).
"""
from __future__ import annotations

import streamlit as st

from components import state
from components.i18n import t
from geo.config import DataDirError, require_data_dir

st.set_page_config(page_title="Peta Posyandu", page_icon="🗺️", layout="wide",
                   initial_sidebar_state="expanded")
state.sync_from_url()

PAGES = [
    ("pages/ringkasan.py", "page_ringkasan", "ringkasan", ":material/dashboard:"),
    ("pages/stunting.py", "page_stunting", "stunting", ":material/child_care:"),
    ("pages/kader.py", "page_kader", "kader", ":material/groups:"),
    ("pages/risiko_bencana.py", "page_bencana", "risiko-bencana", ":material/flood:"),
    ("pages/konektivitas.py", "page_konektivitas", "konektivitas", ":material/wifi_off:"),
    ("pages/peringkat.py", "page_peringkat", "peringkat", ":material/leaderboard:"),
    ("pages/tentang_data.py", "page_tentang", "tentang-data", ":material/info:"),
    ("pages/kelola_data.py", "page_kelola", "kelola-data", ":material/upload_file:"),
]

try:
    require_data_dir()
except DataDirError as exc:
    st.title(t("app_title"))
    st.error(t("no_data_dir"))
    st.code(str(exc), language=None)
    pages = [st.Page(PAGES[-1][0], title=t(PAGES[-1][1]), url_path=PAGES[-1][2], default=True)]
    st.navigation(pages).run()
    st.stop()

pages = [st.Page(path, title=t(key), url_path=url, icon=icon, default=(i == 0))
         for i, (path, key, url, icon) in enumerate(PAGES)]
nav = st.navigation(pages, position="sidebar")

from components import sidebar  # noqa: E402  (imports geo data only once data exist)

view = sidebar.render()
if view.projector:
    st.markdown(
        "<style>[data-testid='stSidebar'],[data-testid='stHeader'],"
        "[data-testid='stSidebarCollapsedControl']{display:none}"
        ".block-container{padding-top:1rem;max-width:100%}</style>",
        unsafe_allow_html=True)
    if st.button("✕ " + t("projector"), key="exit-projector"):
        state.set_value("projector", "0")
        state.write_to_url()
        st.rerun()
state.write_to_url()
nav.run()
