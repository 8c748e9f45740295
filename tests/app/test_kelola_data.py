"""Kelola Data page (Streamlit AppTest): upload a messy registry, see the report, save it,
and find it as the dataset in use after a fresh start; restore the previous version."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import MESSY_CSV, kelola_data_app, key_figures, use_empty_workspace


@pytest.fixture(autouse=True)
def _ws(tmp_path, monkeypatch):
    use_empty_workspace(tmp_path, monkeypatch)


def _app() -> AppTest:
    return kelola_data_app(timeout=90)


def test_upload_report_save_restart_restore():
    from geo import workspace
    at = _app()
    assert not at.exception
    at.file_uploader(key="upload-posyandu").set_value(
        ("posyandu_pahandut.csv", MESSY_CSV.encode("cp1252"), "text/csv")).run()
    assert not at.exception, at.exception
    metrics = key_figures(at)
    # 7 kept: the rows at sea and in Manila keep their known village code without a point
    assert metrics == {"Diterima": "7", "Diperbaiki": "2", "Ditolak": "3", "Peringatan": "5"}
    report = at.dataframe[0].value if "pesan" in at.dataframe[0].value.columns else \
        next(d.value for d in at.dataframe if "pesan" in d.value.columns)
    assert report["baris"].tolist() == [4, 4, 4, 6, 8, 8, 9, 10, 11, 12, 13, 14]
    next(b for b in at.button if b.label == "Simpan dan pakai data ini").click().run()
    assert not at.exception
    assert any("Tersimpan: Registri Posyandu: posyandu_pahandut.csv" in s.value.replace("\\", "")
               for s in at.success)
    # "Restart": a brand-new app session reads the workspace from disk.
    at2 = _app()
    cur = workspace.current("posyandu")
    assert cur.rows == 7 and cur.name == "posyandu_pahandut.csv"
    tables = [d.value for d in at2.dataframe]
    assert any("status" in t.columns and t["status"].tolist() == ["dipakai"] for t in tables)
    # Second import, then restore the first from the page.
    workspace.save("posyandu", cur.load().head(2), name="kedua.csv")
    at3 = _app()
    at3.selectbox(key="ver-posyandu").set_value(cur.version)
    at3.button(key="restore-posyandu").click().run()
    assert not at3.exception
    assert workspace.current("posyandu").version == cur.version


def test_unknown_headers_mapping_step():
    at = _app()
    at.file_uploader(key="upload-posyandu").set_value(
        ("aneh.csv", b"Kode Pos;Sebutan;Titik Y;Titik X\nK1;Posyandu <b>Satu</b>;-2,21;113,91\n",
         "text/csv")).run()
    assert not at.exception
    assert any("kolom wajib tidak ditemukan" in e.value for e in at.error)
    labels = [s.label for s in at.selectbox]
    assert labels[:4] == ["Kode Pos", "Sebutan", "Titik Y", "Titik X"]
    for label, field in zip(labels[:4], ["id", "nama", "lat", "lon"]):
        next(s for s in at.selectbox if s.label == label).set_value(field)
    next(b for b in at.button if b.label == "Terapkan pemetaan").click().run()
    assert not at.exception
    assert key_figures(at)["Diterima"] == "1"


def test_save_onto_full_disk_names_it_and_keeps_the_previous_version(monkeypatch):
    """Issue 30, item 8: not 'Galat tak terduga' — the disk is full, nothing was saved, the
    previous version stays in use; no server path."""
    import errno
    import os

    from geo import workspace
    first = workspace.save("posyandu", workspace_frame(), name="pertama.csv")

    def full(target, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
    monkeypatch.setattr(workspace, "write_text_atomic", full)
    at = _app()
    at.file_uploader(key="upload-posyandu").set_value(
        ("posyandu_pahandut.csv", MESSY_CSV.encode("cp1252"), "text/csv")).run()
    next(b for b in at.button if b.label == "Simpan dan pakai data ini").click().run()
    assert not at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any("Disk penuh: data tidak tersimpan; versi sebelumnya tetap dipakai" in e
               for e in errors), errors
    assert not any("Galat" in e or str(workspace.workspace_dir()) in e for e in errors)
    assert workspace.current("posyandu").version == first.version


def workspace_frame():
    import geopandas as gpd
    import pandas as pd
    df = pd.DataFrame({"id": ["A1"], "nama": ["Posyandu A"], "kode_desa": ["62.71.01.1001"],
                       "lat": [-2.21], "lon": [113.91]})
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.lon, df.lat), crs="EPSG:4326")


def test_upload_onto_full_disk_names_it(monkeypatch):
    import errno
    import os
    import tempfile

    from components.views import data_import
    real = tempfile.TemporaryDirectory

    class Full:
        def __init__(self, *a, prefix=None, **k):
            self.inner = real(*a, prefix=prefix, **k)
            self.full = prefix == "peta-upload-"

        def __enter__(self):
            if self.full:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/tmp/peta-upload-x")
            return self.inner.__enter__()

        def __exit__(self, *exc):
            return self.inner.__exit__(*exc)
    monkeypatch.setattr(data_import.tempfile, "TemporaryDirectory", Full)
    at = _app()
    at.file_uploader(key="upload-posyandu").set_value(
        ("posyandu_pahandut.csv", MESSY_CSV.encode("cp1252"), "text/csv")).run()
    assert not at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any(e.startswith("Disk penuh: berkas unggahan tidak dapat ditaruh sementara di "
                            "server") for e in errors), errors
    assert not any("/tmp" in e or "Galat" in e for e in errors)
