"""With no data directory the dashboard shows the guidance, not a stack trace."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


def test_missing_data_shows_three_ways_forward(monkeypatch, tmp_path):
    monkeypatch.setenv("PETA_DATA_DIR", str(tmp_path / "kosong"))
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path / "ws"))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Data batas wilayah belum tersedia"]
    guidance = "\n".join(c.value for c in at.code)
    for way in ("PETA_DATA_DIR", "python -m geo fetch --from", "Kelola Data"):
        assert way in guidance
