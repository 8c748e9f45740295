"""The application shell: page list, navigation, shared sidebar, projector mode.

``app.py`` calls ``run()``. Every page file calls ``ensure()`` first: right after a
server start Streamlit serves a link such as ``/peringkat?wilayah=62`` in its legacy
``pages/``-folder mode, running the page file alone (no sidebar, no URL state) until some
script calls ``st.navigation``. ``ensure()`` notices a page running outside the shell,
registers the navigation and reruns, so the same link opens inside the app.
"""
from __future__ import annotations

import threading

import streamlit as st

from components import state
from components.i18n import t
from geo.config import DataDirError, require_data_dir

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
_RUN = threading.local()  # each script run has its own thread


def _navigation(entries=PAGES):
    pages = [st.Page(path, title=t(key), url_path=url, icon=icon, default=(i == 0))
             for i, (path, key, url, icon) in enumerate(entries)]
    return st.navigation(pages, position="sidebar")


def ensure() -> None:
    """Called at the top of every page file: rerun inside the shell if outside it."""
    if not getattr(_RUN, "inside", False):
        _navigation()
        st.rerun()


def run() -> None:
    st.set_page_config(page_title="Peta Posyandu", page_icon="🗺️", layout="wide",
                       initial_sidebar_state="expanded")
    state.sync_from_url()
    try:
        require_data_dir()
    except DataDirError as exc:
        # No boundaries yet: say how to get them, and offer only the data page.
        st.title(t("app_title"))
        st.error(t("no_data_dir"))
        st.code(str(exc), language=None)
        nav = _navigation(PAGES[-1:])
    else:
        nav = _navigation()
        from components import sidebar
        view = sidebar.render()
        if view.projector:
            _projector_chrome()
        state.write_to_url()
    _RUN.inside = True
    try:
        nav.run()
    finally:
        _RUN.inside = False


def _projector_chrome() -> None:
    st.markdown(
        "<style>[data-testid='stSidebar'],[data-testid='stHeader'],"
        "[data-testid='stSidebarCollapsedControl']{display:none}"
        ".block-container{padding-top:1rem;max-width:100%}</style>",
        unsafe_allow_html=True)
    if st.button("✕ " + t("projector"), key="exit-projector"):
        state.set_value("projector", "0")
        state.write_to_url()
        st.rerun()
