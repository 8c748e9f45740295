"""Fixtures for end-to-end tests: a real Streamlit server and headless Chromium.

* ``streamlit_server(app_path, env=None, *, args=(), timeout=180.0, fresh=False)``
  (session-scoped factory) starts ``python -m streamlit run <app>`` on a free port of
  127.0.0.1 with the repository root as working directory (so
  ``.streamlit/config.toml`` applies), waits for ``/_stcore/health`` and returns a
  :class:`StreamlitServer` (``.url``, ``.port``, ``.logs()``, ``.startup_seconds``).
  Calls with the same app/env/args reuse the running server unless ``fresh=True``.
  Every server's process group is killed at the end of the session. Streamlit serves
  ``static/`` next to the *app script*, so an app outside the repository root needs a
  ``static`` link beside it (``tests/browser/apps/static -> ../../../static``).
* ``browser``: session-scoped Playwright Chromium (Debian's /usr/bin/chromium).
  Browser tests are skipped when it is absent, and fail instead when ``CI=true``.
* ``page``: a fresh 1920x1080 page (``browser_context_args`` overrides the context's
  options, e.g. a phone) whose every request goes through
  ``page.route("**/*")``: 127.0.0.1/localhost continue, anything else is aborted and
  recorded. Assert on the fixtures ``external_requests`` (URLs that tried to leave
  the machine), ``failed_requests`` (local requests that failed or got HTTP >= 400,
  e.g. a missing vendored file), ``console_errors`` and ``page_errors`` (uncaught
  JS exceptions, iframes included), ``all_requests``.
* ``open_app(server, path="/", timeout=120.0)``: go to the app and wait until the
  script run is over. ``open_url(page, url, timeout=120.0)`` (a function, for any page,
  e.g. of a fresh context) does the same for a full URL and closes the "Page not found"
  modal a fresh server may show over the right page (streamlit/streamlit#9992).
* ``map_frame(index=0)``: Playwright FrameLocator inside the index-th st_folium iframe
  (``iframe[title="streamlit_folium.st_folium"]``); Leaflet's DOM lives there.
* ``screenshot_dir``: tests/browser/screenshots/ (git-ignored), created on demand.

Tests in this folder are marked ``browser`` and ``slow`` automatically.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = Path(__file__).resolve().parent / "screenshots"
# Default waits of every page action and every ``expect``: sized for a loaded 2-core CI
# machine (Playwright's own 5 s default fails there while a script run is still queued).
# A wait ends as soon as its state is reached; only a failing test waits this long.
BUSY_TIMEOUT_MS = 60_000
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1920, "height": 1080}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
#: The iframe in which st_folium renders a map (one per st_folium call).
ST_FOLIUM_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: Choropleth polygons (class given by static/vendor/_project/peta-map.js; hazard zones
#: and Posyandu symbols drawn over them are other paths).
CHOROPLETH = 'path.pp-region'


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + "; CI=true, so this is an error, not a skip")
    pytest.skip(reason)


# --- Streamlit server ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process_group(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL, to a process started in its own process group."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue


@dataclass
class StreamlitServer:
    app_path: Path
    port: int
    process: subprocess.Popen
    log_path: Path
    startup_seconds: float = 0.0
    _log_file: object = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def logs(self) -> str:
        """Everything the server printed (stdout and stderr) so far."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        stop_process_group(self.process)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


def _start_server(
    app_path: Path, env: Mapping[str, str] | None, args: Sequence[str], timeout: float, log_dir: Path
) -> StreamlitServer:
    port = free_port()
    log_path = log_dir / f"streamlit-{app_path.stem}-{port}.log"
    log_file = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 (closed in stop())
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_ROOT), full_env.get("PYTHONPATH", "")) if p
    )
    full_env.setdefault("PYTHONUNBUFFERED", "1")
    full_env.update(env or {})
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app_path),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        # No reruns because a file changed while tests run (pass args to override).
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
        *args,
    ]  # fmt: skip
    started = time.monotonic()
    process = subprocess.Popen(
        cmd,
        cwd=REPO_ROOT,
        env=full_env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # own process group: killed as a whole at teardown
    )
    server = StreamlitServer(app_path, port, process, log_path, _log_file=log_file)
    health = f"{server.url}/_stcore/health"
    while True:
        if process.poll() is not None:
            server.stop()
            raise RuntimeError(
                f"streamlit exited with code {process.returncode} before it was healthy:\n"
                f"{server.logs()[-5000:]}"
            )
        try:
            with urllib.request.urlopen(health, timeout=2) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() - started > timeout:
            server.stop()
            raise RuntimeError(
                f"streamlit was not healthy after {timeout:.0f}s:\n{server.logs()[-5000:]}"
            )
        time.sleep(0.1)
    server.startup_seconds = time.monotonic() - started
    return server


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory) -> Iterator:
    """Factory: ``streamlit_server(app_path, env=None, *, args=(), timeout=180, fresh=False)``.

    ``app_path`` is absolute or relative to the repository root; ``env`` is added to
    the current environment (PYTHONPATH gets the repository root). Raises with the
    server's output when it does not come up.
    """
    log_dir = tmp_path_factory.mktemp("streamlit-logs")
    servers: dict[tuple, StreamlitServer] = {}
    started: list[StreamlitServer] = []

    def factory(
        app_path: str | os.PathLike,
        env: Mapping[str, str] | None = None,
        *,
        args: Sequence[str] = (),
        timeout: float = 180.0,
        fresh: bool = False,
    ) -> StreamlitServer:
        path = Path(app_path)
        if not path.is_absolute():
            path = REPO_ROOT / path
        if not path.is_file():
            raise FileNotFoundError(path)
        key = (str(path), tuple(sorted((env or {}).items())), tuple(args))
        server = servers.get(key)
        if server is not None and server.alive() and not fresh:
            return server
        server = _start_server(path, env, args, timeout, log_dir)
        servers[key] = server
        started.append(server)
        return server

    yield factory
    for server in started:
        server.stop()


# --- Browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright
    expect.set_options(timeout=BUSY_TIMEOUT_MS)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass
class _Traffic:
    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    return parsed.hostname in LOCAL_HOSTS


@pytest.fixture
def _traffic() -> _Traffic:
    return _Traffic()


@pytest.fixture
def browser_context_args() -> dict:
    """Options of the ``page`` fixture's browser context: a 1920x1080 desktop. A module
    overrides this fixture for another device (e.g. a phone, test_mobile.py)."""
    return {"viewport": VIEWPORT}


@pytest.fixture
def page(browser, _traffic, browser_context_args):
    """A page (1920x1080 unless ``browser_context_args`` says otherwise) that lets only
    127.0.0.1/localhost requests through."""
    context = browser.new_context(service_workers="block", **browser_context_args)
    page = context.new_page()

    def handle(route, request):
        _traffic.requests.append(request.url)
        if _is_local(request.url):
            route.continue_()
        else:
            _traffic.external.append(request.url)
            route.abort("blockedbyclient")

    def on_failed(request):
        if _is_local(request.url):
            _traffic.failed.append(f"{request.url} ({request.failure})")

    def on_response(response):
        if response.status >= 400 and _is_local(response.url):
            _traffic.failed.append(f"{response.url} (HTTP {response.status})")

    def on_console(message):
        if message.type == "error":
            _traffic.console_errors.append(message.text)

    page.route("**/*", handle)
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    page.on("console", on_console)
    # Uncaught JS exceptions, also those inside the component iframes (e.g. Leaflet's
    # "Map has no maxZoom specified"): they are not console messages.
    page.on("pageerror", lambda error: _traffic.page_errors.append(str(error)))
    page.set_default_timeout(BUSY_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def external_requests(page, _traffic) -> list[str]:
    """URLs the page tried to fetch from anywhere but this machine (all aborted)."""
    return _traffic.external


@pytest.fixture
def failed_requests(page, _traffic) -> list[str]:
    """Local requests that failed or answered HTTP >= 400."""
    return _traffic.failed


@pytest.fixture
def all_requests(page, _traffic) -> list[str]:
    return _traffic.requests


@pytest.fixture
def console_errors(page, _traffic) -> list[str]:
    return _traffic.console_errors


@pytest.fixture
def page_errors(page, _traffic) -> list[str]:
    """Uncaught JavaScript exceptions of the page and its iframes."""
    return _traffic.page_errors


@pytest.fixture
def open_app(page):
    """``open_app(server, path="/", timeout=120.0)``: load the app and wait until the
    first script run has finished (app container present, no "running" indicator)."""

    def _open(server: StreamlitServer, path: str = "/", timeout: float = 120.0):
        page.goto(server.url + path, wait_until="domcontentloaded", timeout=timeout * 1000)
        wait_for_script_run(page, timeout)
        return page

    return _open


# Streamlit's own state of the session's script run, on its root element: "initial" before
# the first run has started, then "running" / "rerunRequested" / "notRunning" (what
# Streamlit's own end-to-end tests wait for). Waiting for "not running" alone is a race on a
# busy machine: before the first run starts, nothing is running yet.
_SCRIPT_IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) return false;
    const state = app.getAttribute('data-test-script-state');
    const conn = app.getAttribute('data-test-connection-state');
    if (state !== 'notRunning' || (conn && conn !== 'CONNECTED')) return false;
    return !document.querySelector('[data-stale="true"]');
}"""


def wait_for_script_run(page, timeout: float = 120.0) -> None:
    """Wait until the session's script run has finished: the app connected, a run started
    and ended (not the "initial" state before any run), and no element left stale."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout * 1000)
    page.wait_for_function(_SCRIPT_IDLE, timeout=timeout * 1000)


def open_url(page, url: str, timeout: float = 120.0) -> None:
    """Load ``url`` in ``page`` and wait for the script run (``wait_for_script_run``); then
    close the "Page not found" modal Streamlit shows over the right page when the first
    session of a fresh server opens a non-default path (streamlit/streamlit#9992)."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
    wait_for_script_run(page, timeout)
    modal = page.get_by_role("dialog").filter(has_text="Page not found")
    try:      # shown at once when at all
        modal.wait_for(state="visible", timeout=2000)
        page.keyboard.press("Escape")
    except Exception:
        pass


_MAP_GEOMETRY = """() => {
    const pane = document.querySelector('.leaflet-map-pane');
    const paths = document.querySelectorAll('path.leaflet-interactive');
    if (!pane || !paths.length) return null;
    const r = paths[0].getBoundingClientRect();
    return [pane.style.transform, Math.round(r.x), Math.round(r.y), Math.round(r.width),
            paths.length].join('|');
}"""


def wait_map_settled(frame, timeout: float = 60.0, quiet: float = 0.6) -> None:
    """Wait until the map in ``frame`` (a FrameLocator) has stopped moving: its pane and
    first region keep the same place for ``quiet`` seconds (the map refits after it is
    drawn; on a busy machine those timers fire late). Instead of a fixed sleep."""
    body = frame.locator("body")
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        now = body.evaluate(_MAP_GEOMETRY)
        if now != last or now is None:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.15)
    raise AssertionError(f"the map kept moving for {timeout:.0f} s")


@pytest.fixture
def map_frame(page):
    """``map_frame(index=0)``: FrameLocator of the index-th st_folium map, e.g.
    ``map_frame().locator("path.leaflet-interactive")``."""

    def _frame(index: int = 0):
        return page.frame_locator(ST_FOLIUM_IFRAME).nth(index)

    return _frame


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture(scope="module")
def data_dir() -> Path:
    """The data directory the app reads; skip (fail on CI) when it is missing."""
    from geo.config import data_dir as configured

    path = Path(os.environ.get("PETA_DATA_DIR") or configured())
    if not (path / "regions" / "provinces.csv").exists():
        reason = f"no data directory at {path} (set PETA_DATA_DIR)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


# The page's key figures (components.kpi: one definition list) and its notice line
# (components.notices).
KEY_FIGURE = ".pp-kfs > div"
NOTICE = "p.pp-notice"
_KEY_FIGURES = """() => Object.fromEntries([...document.querySelectorAll('.pp-kfs > div')].map(d => {
  const dt = d.querySelector('dt').cloneNode(true);
  dt.querySelectorAll('.pp-kf-help').forEach(h => h.remove());
  return [dt.textContent.trim(), d.querySelector('dd').innerText.trim()];
}))"""


def key_figures(page) -> dict[str, str]:
    """{label: value} of the key figures on the page."""
    return page.evaluate(_KEY_FIGURES)


def key_figure(page, label: str):
    """Locator of the value (dd) of the key figure labelled ``label``."""
    return page.locator(KEY_FIGURE).filter(has=page.locator("dt", has_text=label)).locator("dd")
