"""Processes of the load benchmark (benchmarks.load.run): free ports, starting and
stopping Streamlit servers, the HAProxy configuration, and meters of CPU seconds and
resident memory of the server and of the browsers."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 180.0

DEPLOY_HAPROXY = REPO / "deploy" / "haproxy.cfg"


def haproxy_config(port: int, servers: list[tuple[str, int]]) -> str:
    """The deployment's HAProxy configuration (deploy/haproxy.cfg: sticky cookie, static
    cache, compression), run unprivileged in the foreground on 127.0.0.1:``port`` with
    ``servers`` (name, port) as its app processes."""
    lines = []
    for line in DEPLOY_HAPROXY.read_text().splitlines():
        word = line.split()[0] if line.split() else ""
        if word in ("log", "user", "group", "daemon") or line.strip() == "option httplog":
            continue                       # no syslog, no privileges, no fork
        if word == "bind":
            line = f"    bind 127.0.0.1:{port}"
        if word == "server":
            continue
        # the error pages are installed in /etc/haproxy/errors/ on the server; here: the repo's
        lines.append(line.replace("/etc/haproxy/errors/", f"{REPO}/deploy/errors/"))
    lines += [f"    server {name} 127.0.0.1:{p} check cookie {name}" for name, p in servers]
    return "\n".join(lines) + "\n"


def pct(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values`` (nearest rank); NaN when there are none."""
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_health(url: str, proc: subprocess.Popen | None, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} not healthy after {timeout:.0f} s")


def _streamlit(args: list[str], port: int, log: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1",
               STREAMLIT_SERVER_COOKIE_SECRET="bench-load-shared-secret",
               PYTHONPATH=os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p))
    cmd = [sys.executable, *args, "--server.port", str(port), "--server.address", "127.0.0.1",
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=open(log, "w"),  # noqa: SIM115
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, 15)
            proc.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, 9)
            except ProcessLookupError:
                pass


class Meter:
    """CPU seconds and peak resident memory of some processes (and their children)."""

    def __init__(self, pids: list[int]):
        self.procs = [psutil.Process(p) for p in pids]
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _all(self):
        out = []
        for p in self.procs:
            try:
                out.append(p)
                out.extend(p.children(recursive=True))
            except psutil.Error:
                pass
        return out

    def cpu(self) -> float:
        total = 0.0
        for p in self._all():
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
        return total

    def rss(self) -> int:
        total = 0
        for p in self._all():
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _sample(self):
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, self.rss())

    def reset_peak(self):
        self.peak = self.rss()

    def close(self):
        self._stop.set()


class BrowserMeter(Meter):
    """CPU seconds of the Chromium processes this benchmark started (they share the
    machine's cores with the server: at N sessions they bound every time measured here)."""

    def __init__(self):
        super().__init__([os.getpid()])

    def _all(self):
        out = []
        for p in super()._all():
            try:
                if "chrom" in p.name().lower():
                    out.append(p)
            except psutil.Error:
                pass
        return out
