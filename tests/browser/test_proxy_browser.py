"""The documented deployment's reverse proxy (deploy/haproxy.cfg, run by
benchmarks.load.procs.haproxy_config exactly as the load benchmark runs it) in front of
two Streamlit processes: the configuration is valid, a browser is kept on one process (its
session lives there), static files are served from HAProxy's cache and compressed, map
files get their cache headers, a map drawn through the proxy makes no outside request,
and the load benchmark's protocol clients get their maps through it. The app processes
are the floor app (two 4-polygon map pages; what is tested is the proxy)."""
from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from benchmarks.load.procs import (
    DEPLOY_HAPROXY,
    _free_port,
    _stop,
    _streamlit,
    _wait_health,
    haproxy_config,
)

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
LEAFLET = "/app/static/vendor/leaflet-1.9.3/leaflet.js"

if not Path(HAPROXY).exists():
    if os.environ.get("CI"):
        pytest.fail("haproxy is not installed (test.sh installs it)", pytrace=False)
    pytest.skip("haproxy is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("proxy")
    procs, ports = [], [_free_port(), _free_port()]
    try:
        for p in ports:
            procs.append(_streamlit(["-m", "streamlit", "run", "benchmarks/floor_app.py"], p,
                                    tmp / f"app-{p}.log"))
        for p, proc in zip(ports, procs):
            _wait_health(f"http://127.0.0.1:{p}", proc)
        port = _free_port()
        cfg = tmp / "haproxy.cfg"
        cfg.write_text(haproxy_config(port, [("app0", ports[0]), ("app1", ports[1])]))
        procs.append(subprocess.Popen([HAPROXY, "-f", str(cfg), "-db"],
                                      stdout=open(tmp / "haproxy.log", "w"),  # noqa: SIM115
                                      stderr=subprocess.STDOUT, start_new_session=True))
        base = f"http://127.0.0.1:{port}"
        _wait_health(base, procs[-1])
        yield base
    finally:
        for proc in reversed(procs):
            _stop(proc)


def _get(url: str, **headers) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()


def test_deployment_config_is_valid(tmp_path):
    # as installed (deploy/README.md): the error pages copied to /etc/haproxy/errors/
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(DEPLOY_HAPROXY.read_text().replace(
        "/etc/haproxy/errors/", f"{DEPLOY_HAPROXY.parent}/errors/"))
    out = subprocess.run([HAPROXY, "-c", "-f", str(cfg)], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


def _sticky_cookie(proxy: str) -> str:
    req = urllib.request.Request(proxy + "/")
    with urllib.request.urlopen(req, timeout=30) as r:
        cookies = [c.split(";")[0] for c in r.headers.get_all("Set-Cookie") or []]
    found = [c for c in cookies if c.startswith("PETASRV=")]
    assert len(found) == 1, cookies
    return found[0]


def test_a_browser_stays_on_the_process_that_holds_its_session(proxy):
    cookie = _sticky_cookie(proxy)
    assert cookie.split("=")[1] in ("app0", "app1")
    for _ in range(4):   # with the cookie: the same process, no new PETASRV cookie
        req = urllib.request.Request(proxy + "/_stcore/health", headers={"Cookie": cookie})
        with urllib.request.urlopen(req, timeout=30) as r:
            assert not any(c.startswith("PETASRV=") for c in r.headers.get_all("Set-Cookie") or [])


def test_static_files_come_from_the_cache_compressed(proxy):
    cookie = _sticky_cookie(proxy)     # as a browser: its first page set the cookie
    status, first, body = _get(proxy + LEAFLET, **{"Accept-Encoding": "gzip", "Cookie": cookie})
    status2, second, body2 = _get(proxy + LEAFLET, **{"Accept-Encoding": "gzip",
                                                      "Cookie": cookie})
    assert status == status2 == 200
    assert "age" in second, second                          # served by HAProxy's cache
    assert second.get("content-encoding") == "gzip"
    assert second["cache-control"] == "public, max-age=3600"
    plain = gzip.decompress(body2)
    assert plain.startswith(b"/*") and b"Leaflet" in plain[:400]
    assert len(body2) < len(plain) / 2
    # a client that does not accept gzip gets the plain file
    _, headers, raw = _get(proxy + LEAFLET, Cookie=cookie)
    assert "content-encoding" not in headers and raw == plain


def test_map_drawn_through_the_proxy_without_outside_requests(proxy, page, external_requests,
                                                            page_errors):
    page.goto(proxy + "/")
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
    frame.locator("path.leaflet-interactive").nth(3).wait_for(timeout=120_000)
    assert frame.locator("path.leaflet-interactive").count() == 4
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("PETASRV") in ("app0", "app1")
    assert external_requests == [] and page_errors == []


def test_protocol_clients_get_their_map_through_the_proxy(proxy):
    """The load benchmark's browserless clients (benchmarks.load.server) open both floor
    pages through the deployment's proxy at once: each gets its map's message, before the
    end of its script run, and a page that is not there is reported, not waited for."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from benchmarks.load.server import protocol_view

    async def views():
        return await asyncio.gather(*(protocol_view(proxy, page, "")
                                      for page in ("", "dua") * 3))

    def run(make):   # an event loop of its own (the browser tests' loop is running here)
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(lambda: asyncio.run(make())).result(timeout=300)

    results = run(views)
    assert len(results) == 6
    assert all(0 < to_map <= to_end for to_map, to_end in results), results
    with pytest.raises(RuntimeError, match="page not found"):
        run(lambda: protocol_view(proxy, "tidak-ada", ""))


def test_a_room_participant_asks_what_a_browser_would(proxy, page, tmp_path):
    """A participant of the benchmark's room (benchmarks.load.room) fetches the files a
    real browser fetched for the floor's two pages, then runs both pages on one websocket
    (the proxy's cookie keeps it on one process): each run gets its map. A file the server
    does not have is an error naming it, not skipped."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from benchmarks.load.room import _cookie_header, _remote

    files = []
    page.on("request", lambda r: files.append(r.url[len(proxy):])
            if r.url.startswith(proxy) and r.resource_type != "websocket" else None)
    page.goto(proxy + "/")
    page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first.locator(
        "path.leaflet-interactive").nth(3).wait_for(timeout=120_000)
    assert "/" in files and any(f.startswith("/_stcore/") for f in files)
    assert any(f.startswith("/static/js/") for f in files)

    def run(paths):   # an event loop of its own (the browser tests' loop is running here)
        participant = _remote(proxy, "/", "dua", paths, 0.5, 0.1, tmp_path / "jar.txt")
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, participant).result(timeout=300)

    runs = run(list(dict.fromkeys(files)))
    assert len(runs) == 2 and all(0 < to_map <= to_end for to_map, to_end in runs), runs
    assert "PETASRV=app" in _cookie_header(tmp_path / "jar.txt")
    with pytest.raises(RuntimeError, match="404 .*/app/static/vendor/tidak-ada.js"):
        run(["/", "/app/static/vendor/tidak-ada.js"])
