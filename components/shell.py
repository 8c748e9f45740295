"""The application shell: page list, navigation, shared sidebar, projector mode.

``app.py`` calls ``run()``. Every page file calls ``ensure()`` first: right after a
server start Streamlit serves a link such as ``/peringkat?wilayah=62`` in its legacy
``pages/``-folder mode, running the page file alone (no sidebar, no URL state) until some
script calls ``st.navigation``. ``ensure()`` notices a page running outside the shell,
registers the navigation and reruns, so the same link opens inside the app. The URL paths
equal the file names, so that legacy mode finds every page too (no "page not found").
A page file run as its own main script (a unit test of one page) is left alone.
"""
from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components import state
from components.i18n import t
from geo.config import DataDirError, require_data_dir

PAGES = [
    ("pages/ringkasan.py", "page_ringkasan", "ringkasan"),
    ("pages/stunting.py", "page_stunting", "stunting"),
    ("pages/kader.py", "page_kader", "kader"),
    ("pages/risiko_bencana.py", "page_bencana", "risiko_bencana"),
    ("pages/konektivitas.py", "page_konektivitas", "konektivitas"),
    ("pages/peringkat.py", "page_peringkat", "peringkat"),
    ("pages/tentang_data.py", "page_tentang", "tentang_data"),
    ("pages/kelola_data.py", "page_kelola", "kelola_data"),
]
FAVICON = Path(__file__).resolve().parent.parent / "static" / "favicon.png"
_RUN = threading.local()  # each script run has its own thread


def _navigation(entries=PAGES):
    # No page icons: Streamlit makes a page's icon the favicon, and a Material icon would
    # then be fetched from Google's font servers (the app must make no outside request).
    pages = [st.Page(path, title=t(key), url_path=url, default=(i == 0))
             for i, (path, key, url) in enumerate(entries)]
    return st.navigation(pages, position="sidebar")


def ensure() -> None:
    """Called at the top of every page file: rerun inside the shell if outside it."""
    if getattr(_RUN, "inside", False):
        return
    ctx = get_script_run_ctx()
    if ctx is not None and Path(ctx.main_script_path).name != "app.py":
        return  # the page itself is the main script (e.g. AppTest of one page)
    _navigation()
    st.rerun()


def run() -> None:
    st.set_page_config(page_title="Peta Posyandu", page_icon=str(FAVICON), layout="wide",
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
        from components import mapdata, sidebar
        mapdata.start_warm_up()   # normally already started with the server (serve.py)
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
