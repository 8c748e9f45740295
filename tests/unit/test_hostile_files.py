"""Hostile and careless files (issue 9): one test per case. Every bad row is named, every
good row kept, nothing raises; the CLI `validate` reads what `import` reads."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pytest
import shapely

from geo import workspace
from geo.cli.main import main as geo_main
from geo.importers.posyandu import import_posyandu
from geo.importers.report import ImportRefused
from geo.importers.safety import extract_zip
from geo.importers.table import read_cells
from tests.helpers import MESSY_CSV, R, W, problems

HEAD = "id;nama;kode_desa;lat;lon;jumlah_kader;balita_sasaran\n"
GOOD = [f"P{n};Posyandu {n};62.71.01.1001;-2.2{n};113.9{n};5;20\n" for n in range(1, 4)]
NO_LAND = None  # the real province layer: the sea check runs as in the app


def _imp(tmp_path, text: str | bytes, name="r.csv", **kw):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return import_posyandu(path, known_villages={"62.71.01.1001"}, land=NO_LAND, **kw)


@pytest.mark.parametrize("value", ["1e19", "1e308", "-1e308", "inf", "99999999999"])
def test_huge_count_names_the_row_and_keeps_the_others(tmp_path, value):
    bad = f"P9;Posyandu Besar;62.71.01.1001;-2.25;113.95;{value};20\n"
    res = _imp(tmp_path, HEAD + GOOD[0] + bad + GOOD[1])
    assert res.report.fatal is None
    assert sorted(res.data["id"]) == ["P1", "P2", "P9"]           # every row kept
    named = [(r, c) for r, c, _, _, lvl in problems(res) if lvl == W]
    assert (3, "jumlah_kader") in named                            # the bad value named
    assert res.data.loc[res.data["id"] == "P9", "jumlah_kader"].isna().all()


def test_cell_over_field_limit_names_the_row(tmp_path):
    long = "x" * 200_000
    res = _imp(tmp_path, HEAD + GOOD[0] + f"P9;{long};62.71.01.1001;-2.2;113.9;5;20\n" + GOOD[1])
    assert sorted(res.data["id"]) == ["P1", "P2"]
    assert [(r, lvl) for r, _, _, _, lvl in problems(res) if lvl == R] == [(3, R)]
    assert res.report.rejected == 1


def test_unclosed_quote_names_the_row_and_keeps_the_next(tmp_path):
    text = HEAD + GOOD[0] + 'P9;"Posyandu Kutip;62.71.01.1001;-2.2;113.9;5;20\n' + GOOD[1] + GOOD[2]
    res = _imp(tmp_path, text)
    assert sorted(res.data["id"]) == ["P1", "P2", "P3"]
    rej = [(r, m) for r, _, _, m, lvl in problems(res) if lvl == R]
    assert len(rej) == 1 and rej[0][0] == 3 and "petik" in rej[0][1]


def test_multiline_quoted_cell_is_not_an_unclosed_quote(tmp_path):
    text = HEAD + 'P9;"Posyandu\nDua Baris";62.71.01.1001;-2.2;113.9;5;20\n' + GOOD[1]
    res = _imp(tmp_path, text)
    assert sorted(res.data["id"]) == ["P2", "P9"]


def test_nul_bytes_stripped_with_a_warning(tmp_path):
    res = _imp(tmp_path, HEAD + "P1;Posy\x00andu A;62.71.01.1001;-2.2;113.9;5;20\n" + GOOD[1])
    assert "Posyandu A" in set(res.data["nama"])
    assert any(r == 2 and "NUL" in m and lvl == W for r, _, _, m, lvl in problems(res))


@pytest.mark.parametrize("minus", ["\u2212", "\u2013", "\uff0d"])
def test_unicode_minus_in_coordinates(tmp_path, minus):
    res = _imp(tmp_path, HEAD + f"P1;Posyandu A;62.71.01.1001;{minus}2.2;113.9;5;20\n")
    assert res.data["lat"].tolist() == [-2.2]


@pytest.mark.parametrize("other", ["p-1", "P\u20101", "\uff30-\uff11", "P_1"])
def test_near_duplicate_ids_warned(tmp_path, other):
    """Case, Unicode hyphen, full-width letters: distinct ids, but the user is asked."""
    res = _imp(tmp_path, HEAD + "P-1;Posyandu A;62.71.01.1001;-2.2;113.9;5;20\n"
               f"{other};Posyandu B;62.71.01.1001;-2.3;113.8;5;20\n")
    assert len(res.data) == 2
    assert any(c == "id" and lvl == W and "baris 2" in m for _, c, _, m, lvl in problems(res))


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_validate_reads_what_import_reads(tmp_path, encoding, capsys):
    path = tmp_path / "messy.csv"
    path.write_bytes(MESSY_CSV.encode(encoding))
    rc = geo_main(["validate", str(path)])
    out = capsys.readouterr()
    assert "Traceback" not in out.err and rc == 0
    report = json.loads(out.out)
    imported = import_posyandu(path)
    # 7: the rows at sea (Laut Jawa) and in Manila keep their known village code, so they
    # are kept without a point (issue 14); the duplicate, unknown and unplaceable are not.
    assert report["baris_diterima"] == imported.report.accepted == 7
    assert report["baris_ditolak"] == imported.report.rejected


@pytest.mark.parametrize("name,content", [
    ("kosong.csv", b""), ("spasi.csv", b"   \n\t\n  \n"), ("rusak.xlsx", b"PK\x03\x04rusak"),
    ("salah-nama.xlsx", MESSY_CSV.encode()), ("biner.csv", b"\x00\x01\x02\x03" * 100),
    ("gambar.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)])
def test_validate_never_tracebacks(tmp_path, name, content, capsys):
    path = tmp_path / name
    path.write_bytes(content)
    rc = geo_main(["validate", str(path)])
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    report = json.loads(out.out)
    assert report["gagal"] and rc == 1


def _zip_with(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    return buf.getvalue()


def test_zip_bad_crc_is_a_clear_message(tmp_path):
    data = bytearray(_zip_with({"batas.geojson": b'{"type":"FeatureCollection","features":[]}' * 50}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0]
    # corrupt the stored CRC in the local header and the central directory
    pos = data.find(info.CRC.to_bytes(4, "little"))
    while pos != -1:
        data[pos:pos + 4] = b"\x00\x00\x00\x00"
        pos = data.find(info.CRC.to_bytes(4, "little"), pos + 4)
    path = tmp_path / "crc.zip"
    path.write_bytes(bytes(data))
    with pytest.raises(ImportRefused, match="zip rusak"):
        extract_zip(path, tmp_path / "out")


def test_zip_lying_size_is_a_clear_message(tmp_path):
    payload = b"x" * 5000
    data = bytearray(_zip_with({"batas.geojson": payload}))
    size = len(payload).to_bytes(4, "little")
    pos = data.find(size)
    while pos != -1:                 # claim 100 bytes where 5000 are
        data[pos:pos + 4] = (100).to_bytes(4, "little")
        pos = data.find(size, pos + 4)
    path = tmp_path / "size.zip"
    path.write_bytes(bytes(data))
    with pytest.raises(ImportRefused, match="zip rusak"):
        extract_zip(path, tmp_path / "out")


def test_boundaries_zip_with_bad_crc_reports_not_raises(tmp_path):
    from geo.importers.boundaries import import_boundaries
    data = bytearray(_zip_with({"batas.geojson": b'{"type":"FeatureCollection","features":[]}' * 50}))
    crc = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0].CRC.to_bytes(4, "little")
    data = bytearray(bytes(data).replace(crc, b"\x01\x02\x03\x04"))
    path = tmp_path / "batas.zip"
    path.write_bytes(bytes(data))
    res = import_boundaries(path, "kabupaten")
    assert res.report.fatal and "zip rusak" in res.report.fatal


def test_far_right_cell_xlsx_cost_follows_the_data(tmp_path):
    """One cell in column XFD on 3,000 rows: rows are not padded to 16,384 cells."""
    path = tmp_path / "xfd.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "nama", "kode_desa", "lat", "lon"])
    for i in range(3000):
        ws.append([f"P{i}", f"Posyandu {i}", "62.71.01.1001", -2.2, 113.9])
        ws.cell(row=i + 2, column=16384, value="x")
    wb.save(path)
    table = read_cells(path)
    assert max(len(v) for _, v in table.rows) == 5
    assert any("3000 sel" in n for n in table.notes)


def test_row_ceiling_refuses_early(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_MAX_ROWS", "100")
    res = _imp(tmp_path, HEAD + "".join(f"P{i};Posyandu {i};62.71.01.1001;-2.2;113.9;5;20\n"
                                        for i in range(500)))
    assert res.report.fatal and "PETA_MAX_ROWS" in res.report.fatal


def test_geometrycollection_dropped_parts_reported(tmp_path):
    from geo.importers.boundaries import import_boundaries
    from geo.regions import boundaries as regions
    poly = regions.boundaries("kabupaten", "62").iloc[0]
    gc = shapely.GeometryCollection([poly.geometry, shapely.Point(113.9, -2.2),
                                     shapely.LineString([(113.9, -2.2), (114, -2.3)])])
    path = tmp_path / "gc.geojson"
    gpd.GeoDataFrame({"kode": [poly["code"]]}, geometry=[gc], crs="EPSG:4326").to_file(path)
    res = import_boundaries(path, "kabupaten")
    assert len(res.data) == 1
    msgs = [m for _, _, _, m, _ in problems(res)]
    assert any("1 LineString" in m and "1 Point" in m for m in msgs), msgs


def test_killed_save_tmp_folder_removed_at_next_save(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path / "ws"))
    data = gpd.GeoDataFrame({"id": ["a"], "nama": ["Posyandu A"]},
                            geometry=[shapely.Point(113, -2)], crs="EPSG:4326")
    # a save killed mid-way: its process is gone, its folder is fresh
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True)
    dead = int(proc.stdout)
    root = tmp_path / "ws" / "posyandu"
    stale = root / f".tmp-20261130T000000000000Z-abcdef-{dead}-xyz"
    stale.mkdir(parents=True)
    (stale / "data.parquet").write_bytes(b"half")
    workspace.save("posyandu", data, name="a")
    assert not stale.exists()


def test_server_address_is_set_so_no_outside_lookup():
    import tomllib
    conf = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml")
                         .read_text())
    assert conf["server"]["address"] not in ("", "0.0.0.0", "::")
    assert conf["client"]["showErrorDetails"] == "none"
