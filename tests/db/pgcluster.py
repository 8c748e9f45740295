"""A throwaway PostgreSQL + PostGIS cluster for the database tests (no mocks).

Started as the ``postgres`` user (``initdb`` refuses root) in a temporary directory, on a
free loopback port, trust authentication on 127.0.0.1 only; stopped and deleted afterwards.
Runs as ``python tests/db/pgcluster.py`` too (prints the URL; Ctrl+C stops it).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def available() -> str | None:
    """None when a cluster can be started, else why not."""
    if not (PG_BIN / "initdb").exists():
        return f"PostgreSQL tidak ada di {PG_BIN} (apt-get install postgresql-15-postgis-3)"
    if not Path("/usr/share/postgresql/15/extension/postgis.control").exists():
        return "PostGIS tidak ada (apt-get install postgresql-15-postgis-3)"
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            return "runuser tidak ada"
        try:
            import pwd
            pwd.getpwnam("postgres")
        except KeyError:
            return "pengguna sistem 'postgres' tidak ada"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_pg(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Cluster:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="peta-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        os.chmod(self.dir, 0o755)

    def start(self) -> Cluster:
        subprocess.run(_as_pg([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                               "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, capture_output=True)
        opts = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
        subprocess.run(_as_pg([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", opts,
                               "-l", str(self.dir / "log"), "-w", "start"]),
                       check=True, capture_output=True)
        return self

    def psql(self, sql: str, db: str = "postgres") -> str:
        out = subprocess.run(_as_pg([str(PG_BIN.parent / "bin" / "psql"), "-h", "127.0.0.1",
                                     "-p", str(self.port), "-U", "postgres", "-d", db,
                                     "-v", "ON_ERROR_STOP=1", "-Atc", sql]),
                             check=True, capture_output=True, text=True)
        return out.stdout

    def create_db(self, name: str) -> str:
        self.psql(f"CREATE DATABASE {name}")
        return self.url(name)

    def url(self, db: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        try:
            subprocess.run(_as_pg([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                                   "-w", "stop"]), capture_output=True, timeout=60)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


if __name__ == "__main__":
    import signal
    import time

    def _stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    c = Cluster().start()
    print(c.create_db("peta"), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        c.stop()
