"""Frame protection (issue 30, item 7): every response of the app server says it may be
framed by its own site only — set by components.serve (a middleware in Streamlit's
Starlette server) and by HAProxy in the deployment."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

START = """
import sys
from components.serve import add_middleware
add_middleware()
add_middleware()      # idempotent: one middleware
from streamlit.web import cli
sys.argv = ["streamlit", "run", sys.argv[1], "--server.port", sys.argv[2],
            "--server.headless", "true", "--browser.gatherUsageStats", "false"]
cli.main()
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    script = tmp_path / "tiny.py"
    script.write_text("import streamlit as st\nst.write('halo')\n", encoding="utf-8")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", START, str(script), str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True, env={**os.environ})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(proc.stdout.read().decode(errors="replace")) from None
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def test_served_responses_forbid_foreign_frames(server):
    for path in ("/", "/_stcore/health", "/_stcore/host-config", "/tidak-ada"):
        try:
            resp = urllib.request.urlopen(server + path, timeout=10)
        except urllib.error.HTTPError as exc:     # an error page carries them too
            resp = exc
        assert resp.headers.get_all("X-Frame-Options") == ["SAMEORIGIN"], path
        assert resp.headers.get_all("Content-Security-Policy") == ["frame-ancestors 'self'"], \
            path


def test_served_page_preloads_the_code_of_a_map_page_s_elements(server):
    """components.preload: Streamlit's page lists the element code, and each file is there."""
    from components import preload
    page = urllib.request.urlopen(server + "/stunting", timeout=10).read().decode()
    head = page[:page.index("</head>")]
    files = preload.chunk_files()
    assert files
    for f in files:
        assert f'<link rel="modulepreload" crossorigin href="./static/js/{f}">' in head
        with urllib.request.urlopen(f"{server}/static/js/{f}", timeout=10) as resp:
            assert resp.status == 200


def test_serve_main_installs_the_guard():
    text = (ROOT / "components" / "serve.py").read_text(encoding="utf-8")
    main = text[text.index("def main("):]
    assert "add_middleware()" in main.split("cli.main()")[0]


def test_haproxy_sets_frame_headers(tmp_path):
    cfg = ROOT / "deploy" / "haproxy.cfg"
    text = cfg.read_text(encoding="utf-8")
    frontend = text[text.index("frontend peta"):text.index("backend peta_app")]
    assert "http-response set-header X-Frame-Options SAMEORIGIN" in frontend
    assert "http-response set-header Content-Security-Policy \"frame-ancestors 'self'\"" \
        in frontend
    haproxy = shutil.which("haproxy") or ("/usr/sbin/haproxy"
                                          if Path("/usr/sbin/haproxy").exists() else None)
    if haproxy:     # the error pages as installed: read from deploy/errors here
        checked = tmp_path / "haproxy.cfg"
        checked.write_text(text.replace("/etc/haproxy/errors/", f"{ROOT}/deploy/errors/"),
                           encoding="utf-8")
        res = subprocess.run([haproxy, "-c", "-f", str(checked)], capture_output=True, text=True,
                             timeout=30)
        if "cannot find user" not in res.stderr + res.stdout:
            assert res.returncode == 0, res.stderr + res.stdout
