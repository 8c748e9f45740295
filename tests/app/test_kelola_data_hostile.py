"""Kelola Data against hostile files and concurrent editors (issue 9): file-provided text
is a plain label (no Markdown image fetched), a workbook's sheet can be chosen, and a save
based on an old version is refused with the other save named, then retried on purpose."""
from __future__ import annotations

import io

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import MESSY_CSV, kelola_data_app, key_figures, use_empty_workspace


@pytest.fixture(autouse=True)
def _ws(tmp_path, monkeypatch):
    use_empty_workspace(tmp_path, monkeypatch)


def _app() -> AppTest:
    return kelola_data_app(timeout=300)


def test_markdown_image_header_is_a_plain_label():
    at = _app()
    csv = (b"![x](http://10.255.255.1/p.png);Nama;Lintang;Bujur\n"
           b"K1;Posyandu Satu;-2,21;113,91\n")
    at.file_uploader(key="upload-posyandu").set_value(("gambar.csv", csv, "text/csv")).run()
    assert not at.exception
    label = at.selectbox[0].label
    # escaped: Markdown shows the characters, it does not build an image element
    assert label.startswith("\\!\\[x\\]\\(http\\:")
    assert "](" not in label.replace("\\]\\(", "")


def test_sheet_choice_for_a_workbook_whose_first_sheet_is_instructions():
    wb = openpyxl.Workbook()
    wb.active.title = "Petunjuk"
    wb.active.append(["Isi lembar Data dengan satu baris per Posyandu."])
    ws = wb.create_sheet("Data")
    ws.append(["id", "nama", "kode_desa", "lat", "lon"])
    ws.append(["P1", "Posyandu A", "62.71.01.1001", -2.21, 113.91])
    ws.append(["P2", "Posyandu B", "62.71.01.1002", -2.22, 113.92])
    buf = io.BytesIO()
    wb.save(buf)
    at = _app()
    at.file_uploader(key="upload-posyandu").set_value(
        ("registri.xlsx", buf.getvalue(),
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).run()
    assert not at.exception
    sheet = next(s for s in at.selectbox if s.label.startswith("Lembar"))
    assert sheet.options == ["Petunjuk", "Data"] and sheet.value == "Petunjuk"
    sheet.set_value("Data").run()
    assert not at.exception
    assert key_figures(at)["Diterima"] == "2"


def test_save_based_on_an_old_version_is_refused_then_retried():
    from geo import workspace
    at = _app()
    at.file_uploader(key="upload-posyandu").set_value(
        ("posyandu_pahandut.csv", MESSY_CSV.encode("cp1252"), "text/csv")).run()
    assert not at.exception
    # another editor saves while this user reads the report
    other = workspace.save("posyandu", workspace_frame(), name="editor-lain.csv")
    next(b for b in at.button if b.label == "Simpan dan pakai data ini").click().run()
    assert not at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any("editor-lain.csv" in e and other.version in e for e in errors), errors
    assert workspace.current("posyandu").version == other.version      # not overwritten
    next(b for b in at.button if b.label.startswith("Saya sudah meninjau")).click().run()
    assert not at.exception
    assert workspace.current("posyandu").name == "posyandu_pahandut.csv"
    assert any("Tersimpan" in s.value for s in at.success)


def workspace_frame():
    import geopandas as gpd
    import shapely
    return gpd.GeoDataFrame({"id": ["X1"], "nama": ["lain"]},
                            geometry=[shapely.Point(113.9, -2.2)], crs="EPSG:4326")
