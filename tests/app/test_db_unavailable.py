"""With PETA_DATABASE_URL pointing at a database that is down, the app says so plainly
(no traceback)."""
from __future__ import annotations

import socket
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def test_database_down_message(monkeypatch):
    with socket.socket() as s:          # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("PETA_DATABASE_URL",
                       f"postgresql+psycopg://peta@127.0.0.1:{port}/peta?connect_timeout=2")
    from geo.store import _store_for
    _store_for.cache_clear()
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    _store_for.cache_clear()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Basis data tidak dapat dihubungi. Coba lagi sebentar lagi; bila tetap gagal, hubungi "
        "pengelola server (PostgreSQL)."]
