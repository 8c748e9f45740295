"""The application shell: page list, navigation, shared sidebar, projector mode.

``app.py`` calls ``run()``. Every page file calls ``ensure()`` first: right after a
server start Streamlit serves a link such as ``/peringkat?wilayah=62`` in its legacy
``pages/``-folder mode, running the page file alone (no sidebar, no URL state) until some
script calls ``st.navigation``. ``ensure()`` notices a page running outside the shell,
registers the navigation and reruns, so the same link opens inside the app. The URL paths
equal the file names, so that legacy mode finds every page too (no "page not found").
A page file run as its own main script (a unit test of one page) is left alone.

Error boundary: the sidebar and the page each run inside ``guard``. An exception there is
logged with its traceback on the server (logger ``peta``) and the user sees one short
message in their language, never a traceback or a server path (``client.showErrorDetails
= "none"`` in .streamlit/config.toml is the last line of defence). URL parameters are
checked first (components.state.validate): a bad link opens the nearest sensible view with
a notice.
"""
from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components import state
from components.i18n import plain, t
from geo.config import DataDirError, require_data_dir

log = logging.getLogger("peta")

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


@contextlib.contextmanager
def guard(where: str):
    """Error boundary: an exception inside is logged with its traceback on the server and
    shown to the user as one short message (Streamlit's rerun/stop signals pass through:
    they are BaseExceptions)."""
    try:
        yield
    except Exception:
        log.exception("error in %s", where)
        st.error(t("page_error"), icon="⚠️")


def _known_region(code: str) -> bool:
    from components import data
    return code in data.names().index


def _show_notices() -> None:
    from components import data
    for key, values in state.take_notices():
        shown = values.get("shown")
        if "shown" in values:
            values = {**values, "shown": data.region_name(shown) + (f" ({shown})" if shown else "")}
        st.warning(t(key, **{k: plain(v, 60) for k, v in values.items()}))


def run() -> None:
    st.set_page_config(page_title="Peta Posyandu", page_icon=str(FAVICON), layout="wide",
                       initial_sidebar_state="expanded")
    try:
        require_data_dir()
    except DataDirError as exc:
        # No boundaries yet: say how to get them, and offer only the data page.
        state.sync_from_url()
        st.title(t("app_title"))
        st.error(t("no_data_dir"))
        st.code(str(exc), language=None)
        nav = _navigation(PAGES[-1:])
    else:
        with guard("url"):
            state.sync_from_url(_known_region)
        nav = _navigation()
        with guard("sidebar"):
            from components import sidebar
            view = sidebar.render()
            if view.projector:
                _projector_chrome()
            state.write_to_url()
        with guard("notices"):
            _show_notices()
    _RUN.inside = True
    try:
        with guard(f"page {getattr(nav, 'url_path', '') or getattr(nav, 'title', '')}"):
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
