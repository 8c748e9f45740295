"""Too-long links (issue 30, item 8): a 100 KB link gets a quick 414 with a short page in
Indonesian ("Tautan terlalu panjang", a link to the home page) — from the app server's
middleware (components.serve.LinkGuard) and from HAProxy in the deployment — instead of
a page that never loads."""
from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from components.serve import MAX_LINK_BYTES, TOO_LONG_PAGE, LinkGuard
from tests.unit.test_frame_headers import _free_port, server  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
LONG = "/stunting?wilayah=62&x=" + "6" * 100_000


def _call(guard, scope):
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    # in a thread of its own: another test of this worker may hold a running event loop
    # (Playwright's sync API keeps one for the whole session)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, guard(scope, receive, send)).result()
    return sent


def _scope(link: str, kind: str = "http") -> dict:
    path, _, query = link.partition("?")
    return {"type": kind, "path": path, "raw_path": path.encode(),
            "query_string": query.encode(), "headers": []}


def test_guard_answers_414_without_calling_the_app():
    called = []

    async def app(scope, receive, send):
        called.append(scope)
    sent = _call(LinkGuard(app), _scope(LONG))
    assert not called
    assert sent[0]["status"] == 414
    headers = dict(sent[0]["headers"])
    assert headers[b"content-type"].startswith(b"text/html")
    assert int(headers[b"content-length"]) == len(sent[1]["body"])
    body = sent[1]["body"].decode()
    assert "Tautan terlalu panjang" in body and 'href="/"' in body
    assert "8.192" in body and "Traceback" not in body


def test_guard_passes_links_up_to_the_limit():
    called = []

    async def app(scope, receive, send):
        called.append(scope)
    path = "/stunting?wilayah="
    at_limit = path + "6" * (MAX_LINK_BYTES - len(path) + 1)   # path + query (no "?")
    scope = _scope(at_limit)
    assert len(scope["raw_path"]) + len(scope["query_string"]) == MAX_LINK_BYTES
    assert _call(LinkGuard(app), scope) == [] and len(called) == 1
    over = _scope(at_limit + "66")
    assert _call(LinkGuard(app), over)[0]["status"] == 414 and len(called) == 1


def test_guard_closes_a_too_long_websocket_handshake():
    async def app(scope, receive, send):
        raise AssertionError("the app must not see it")
    sent = _call(LinkGuard(app), _scope("/_stcore/stream?x=" + "a" * 20_000, "websocket"))
    assert sent == [{"type": "websocket.close", "code": 1009}]


def _raw_get(port: int, link: str) -> bytes:
    """One HTTP/1.1 GET as a browser sends it; the whole answer (socket timeout 30 s)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"GET {link} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                     .encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


def test_served_app_answers_a_100kb_link_at_once(server):    # noqa: F811
    port = int(server.rsplit(":", 1)[1])
    answer = _raw_get(port, LONG)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414"), head[:200]
    assert b"x-frame-options: sameorigin" in head.lower()
    assert body == TOO_LONG_PAGE
    assert _raw_get(port, "/?wilayah=62").startswith(b"HTTP/1.1 200")


def test_haproxy_config_answers_long_links_with_the_page():
    text = (ROOT / "deploy" / "haproxy.cfg").read_text(encoding="utf-8")
    assert "http-request return status 414" in text and "url,length gt 8192" in text
    assert "errorfile 400 /etc/haproxy/errors/peta-400.http" in text
    assert (ROOT / "deploy" / "errors" / "peta-414.html").read_bytes() == TOO_LONG_PAGE
    raw = (ROOT / "deploy" / "errors" / "peta-400.http").read_bytes()
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and f"Content-Length: {len(body)}".encode() in head
    assert MAX_LINK_BYTES == 8192


@pytest.fixture
def haproxy_in_front(server, tmp_path):        # noqa: F811
    """deploy/haproxy.cfg as shipped, bound to a free local port, in front of the test
    app (user, daemon and syslog lines removed; error files read from deploy/errors)."""
    haproxy = shutil.which("haproxy") or ("/usr/sbin/haproxy"
                                          if Path("/usr/sbin/haproxy").exists() else None)
    if not haproxy:
        pytest.skip("haproxy not installed")
    app_port = int(server.rsplit(":", 1)[1])
    port = _free_port()
    lines = []
    for line in (ROOT / "deploy" / "haproxy.cfg").read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith(("user ", "group ", "daemon", "log /dev/log")) \
                or "app8502" in stripped:
            continue
        line = line.replace("/etc/haproxy/errors/", f"{ROOT}/deploy/errors/")
        line = line.replace("bind :80", f"bind 127.0.0.1:{port}")
        line = line.replace("127.0.0.1:8501", f"127.0.0.1:{app_port}")
        lines.append(line)
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = subprocess.Popen([haproxy, "-db", "-f", str(cfg)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(proc.stdout.read().decode(errors="replace"))
                time.sleep(0.1)
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def test_haproxy_answers_a_100kb_link_with_the_page(haproxy_in_front):
    answer = _raw_get(haproxy_in_front, LONG)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414"), head[:200]
    assert b"server: uvicorn" not in head.lower()        # HAProxy answered, not the app
    assert body == TOO_LONG_PAGE
    assert b"Tautan terlalu panjang" in body
