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

from components import presenter, state, style
from components.i18n import fmt_number, plain, t
from components.map.first import MapFirst
from geo.config import DataDirError, require_data_dir

log = logging.getLogger("peta")

PAGES = [
    ("pages/ringkasan.py", "page_ringkasan", "ringkasan"),
    ("pages/stunting.py", "page_stunting", "stunting"),
    ("pages/kader.py", "page_kader", "kader"),
    ("pages/risiko_bencana.py", "page_bencana", "risiko_bencana"),
    ("pages/konektivitas.py", "page_konektivitas", "konektivitas"),
    ("pages/layanan_spm.py", "page_layanan_spm", "layanan_spm"),
    ("pages/peringkat.py", "page_peringkat", "peringkat"),
    ("pages/rapat.py", "page_rapat", "rapat"),
    ("pages/tentang_data.py", "page_tentang", "tentang_data"),
    ("pages/kelola_data.py", "page_kelola", "kelola_data"),
    ("pages/audit.py", "page_audit", "audit"),
    ("pages/masuk.py", "page_masuk", "masuk"),
]
HOME_PATH = "beranda"
EDITOR_PAGES = ("kelola_data", "audit")   # PostGIS store: editors and admins only
LOGIN_PAGES = ("audit", "masuk")          # only with the PostGIS store (users, audit trail)
NO_QUICK_BAR = {"tentang_data", "kelola_data", "rapat"}  # pages without region/indicator choices
# Pages with a map (URL paths; "" is the default page, Ringkasan): their map stays mounted
# from one to the next (components.map.frame).
MAP_PATHS = {"", "stunting", "kader", "risiko_bencana", "konektivitas", "layanan_spm",
             "peringkat"}
# The favicon as a static file (static/favicon.png): the browser and the proxy cache it; a
# file path would go through the media endpoint, fetched again on every view.
FAVICON_URL = "/app/static/favicon.png"
_RUN = threading.local()  # each script run has its own thread


def _allowed(entries):
    """Pages this visitor may open: a viewer of the database store never gets Kelola Data or
    Audit in the navigation, so a typed URL of them lands on the default page."""
    from components import auth
    if not auth.login_enabled():
        return [e for e in entries if e[2] not in LOGIN_PAGES]
    if not auth.can_view():
        return [e for e in PAGES if e[2] == "masuk"]
    editor = auth.can_edit()
    return [e for e in entries if editor or e[2] not in EDITOR_PAGES]


def _navigation(entries=PAGES):
    # No page icons: Streamlit makes a page's icon the favicon, and a Material icon would
    # then be fetched from Google's font servers (the app must make no outside request).
    entries = _allowed(entries)
    # The default page is served at "/" but still reserves a pathname; it reserves
    # "beranda", and a hidden alias at its own name (/ringkasan, like every other page's
    # link) opens it instead of Streamlit's "Page not found" dialog.
    pages = [st.Page(path, title=t(key), url_path=HOME_PATH if i == 0 else url, default=(i == 0))
             for i, (path, key, url) in enumerate(entries)]
    home = pages[0]
    alias = st.Page(lambda: st.switch_page(home, query_params=st.query_params.to_dict()),
                    title=home.title, url_path=entries[0][2], visibility="hidden")
    return st.navigation(pages + [alias], position="sidebar")


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
        st.warning(t(key, **{k: fmt_number(v, 0) if isinstance(v, int) else plain(v, 60)
                             for k, v in values.items()}))


def run() -> None:
    from components.warmup import visitor_run
    # the warm-up thread steps aside while a visitor is served; ``held`` ends with the run
    with visitor_run(), contextlib.ExitStack() as held:
        _run(held)


def _run(held: contextlib.ExitStack) -> None:
    # "auto": expanded on desktop, collapsed at or below 768 px (phones), where the
    # pickers are in the quick bar at the top of the page (components.mobile).
    st.set_page_config(page_title="Peta Posyandu", page_icon=FAVICON_URL, layout="wide",
                       initial_sidebar_state="auto")
    style.inject()
    try:
        require_data_dir()
    except DataDirError as exc:
        # No boundaries yet: say how to get them, and offer only the data page.
        state.sync_from_url()
        st.title(t("app_title"))
        st.error(t("no_data_dir"))
        st.code(str(exc), language=None)
        nav = _navigation([e for e in PAGES if e[2] in ("kelola_data", "masuk")])
        view = None
    else:
        from components import auth, data
        try:
            data.refresh_data_version()
        except Exception as exc:   # the database is down or unreachable: say so, no traceback
            from sqlalchemy.exc import SQLAlchemyError
            if not isinstance(exc, SQLAlchemyError):
                raise
            st.title(t("app_title"))
            st.error(t("db_unavailable"))
            st.stop()
        with guard("url"):
            state.sync_from_url(_known_region)
            state.apply_map_click(_known_region)
        if not auth.can_view():
            nav = _navigation()
            _RUN.inside = True
            try:
                with guard("login"):
                    nav.run()
            finally:
                _RUN.inside = False
            return
        nav = _navigation()
        if nav.url_path in MAP_PATHS:   # the map's message before the page's others
            held.enter_context(MapFirst())
        if st.session_state.get("projector") == "1":   # a presenter's ◀ ▶ (or a key)
            presenter.open_page(_allowed(PAGES), nav.url_path)
        view = None
        with guard("sidebar"):
            from components import sidebar, warmup
            warmup.start_warm_up()   # normally already started with the server (serve.py)
            view = sidebar.render(quick_bar=nav.url_path not in NO_QUICK_BAR)
            if view.projector:
                _projector_chrome(nav.url_path)
                from components import agenda_presenter
                agenda_presenter.render(view)    # an agenda presented: keys → next view
            state.write_to_url()
        with guard("notices"), st.container():   # one block: the map row's place is fixed
            _show_notices()
    from components.map import frame as page_frame
    framed = view is not None and nav.url_path in MAP_PATHS
    _RUN.inside = True
    try:
        with guard(f"page {getattr(nav, 'url_path', '') or getattr(nav, 'title', '')}"):
            with (page_frame.run_page(view.projector) if framed else contextlib.nullcontext()):
                nav.run()
            if framed:      # "Tambah ke agenda", "Catat tindak lanjut" (sidebar, closed)
                from components.views import meeting_hooks
                with guard("meeting hooks"):
                    meeting_hooks.render(nav.url_path)
            # A page may have replaced a choice the view does not offer (an unavailable
            # survey, an indicator of another page): the URL says what is shown, with the
            # page's own choices (hazard type, order, k, radius…).
            state.write_to_url(page_done=True)
    finally:
        _RUN.inside = False


def _projector_chrome(url_path: str) -> None:
    """No sidebar or header; the presenter's small control bar and keys
    (components.presenter)."""
    st.markdown(
        "<style>[data-testid='stSidebar'],[data-testid='stHeader'],"
        "[data-testid='stSidebarCollapsedControl']{display:none}"
        ".block-container{padding-top:1rem;max-width:100%}</style>",
        unsafe_allow_html=True)
    entries = _allowed(PAGES)
    presenter.controls(entries, MAP_PATHS, presenter.current_path(entries, url_path))
