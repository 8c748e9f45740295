"""``import`` command: same results as the page, exit 1 only when nothing was imported."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest

from geo import workspace
from geo.config import REPO_ROOT
from geo.importers.cli import main
from geo.regions import boundaries as regions

CSV = ("ID Posyandu;Nama Posyandu;Kode Desa;Lintang;Bujur\n"
       "P1;Posyandu Satu;6271011001;2°12'30\" LS;113°54'45\" BT\n"
       "P2;=HYPERLINK(\"http://x\");62.71.01.1002;-2,22;113,91\n"
       "P1;Posyandu Dobel;62.71.01.1003;-2,23;113,92\n")


@pytest.fixture(autouse=True)
def _ws(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path / "ws"))


def test_posyandu_report_out_save(tmp_path, capsys):
    src = tmp_path / "daftar.csv"
    src.write_bytes(CSV.encode("cp1252"))
    rc = main(["import", "posyandu", str(src), "--report", str(tmp_path / "r.csv"),
               "--out", str(tmp_path / "ok.csv"), "--save"])
    assert rc == 0
    out = capsys.readouterr().out
    assert "daftar.csv: 3 baris dibaca — 2 diterima (termasuk 1 diperbaiki), 1 ditolak" in out
    ok = pd.read_csv(tmp_path / "ok.csv", dtype={"kode_desa": str, "id": str},
                     encoding="utf-8-sig")
    assert ok[["id", "kode_desa"]].values.tolist() == [["P1", "62.71.01.1001"],
                                                     ["P2", "62.71.01.1002"]]
    assert ok["lat"].tolist() == pytest.approx([-2.2083333, -2.22])
    assert ok["lon"].tolist() == pytest.approx([113.9125, 113.91])
    assert ok["nama"].iloc[1] == "'=HYPERLINK(\"http://x\")"         # neutralised on export
    rep = pd.read_csv(tmp_path / "r.csv", dtype=str, keep_default_na=False,
                      encoding="utf-8-sig")
    assert rep[["baris", "tingkat"]].values.tolist() == [["2", "diperbaiki"], ["2", "diperbaiki"],
                                                      ["2", "diperbaiki"], ["4", "ditolak"]]
    v = workspace.current("posyandu")
    assert v.rows == 2 and v.manifest["counts"]["ditolak"] == 1
    assert v.load()["nama"].iloc[1] == "=HYPERLINK(\"http://x\")"   # stored verbatim as text


def test_posyandu_nothing_imported_exits_1(tmp_path, capsys):
    src = tmp_path / "kosong.csv"
    src.write_text("ID Posyandu;Nama Posyandu;Lintang;Bujur\nP1;;-2,2;113,9\n")
    assert main(["import", "posyandu", str(src), "--report", str(tmp_path / "r.csv"),
                 "--out", str(tmp_path / "ok.csv")]) == 1
    assert not (tmp_path / "ok.csv").exists()
    src.write_text("A;B\n1;2\n")
    assert main(["import", "posyandu", str(src), "--report", str(tmp_path / "r.csv")]) == 1
    err = capsys.readouterr().err
    assert "kolom wajib tidak ditemukan" in err and "Kolom yang tersedia: 'A', 'B'" in err
    assert main(["import", "posyandu", str(src), "--report", str(tmp_path / "r.csv"),
                 "--map", "A=id", "--map", "B=nama"]) == 1          # still no coordinates


def test_boundaries_geojson_out(tmp_path):
    kab = regions.boundaries("kabupaten", ["62"]).head(3)
    src = tmp_path / "kab.geojson"
    gpd.GeoDataFrame({"KDPKAB": kab["code"].str.replace(".", "", regex=False)},
                     geometry=kab.geometry.values, crs=4326).to_crs(32749).to_file(src)
    out = tmp_path / "out.geojson"
    assert main(["import", "boundaries", str(src), "--level", "kabupaten", "--parent", "62",
                 "--out", str(out), "--save"]) == 0
    gj = json.loads(out.read_text())
    props = [f["properties"] for f in gj["features"]]
    assert [(p["code"], p["level"], p["parent_code"]) for p in props] == [
        ("62.01", "kabupaten", "62"), ("62.02", "kabupaten", "62"), ("62.03", "kabupaten", "62")]
    assert props[0]["name"] == "Kabupaten Kotawaringin Barat"
    assert 110 < gj["features"][0]["geometry"]["coordinates"][0][0][0][0] < 115   # degrees
    assert workspace.current("batas_kabupaten").rows == 3


def test_python_dash_m_subprocess(tmp_path):
    src = tmp_path / "daftar.csv"
    src.write_bytes(CSV.encode("cp1252"))
    env = {**os.environ, "PETA_WORKSPACE_DIR": str(tmp_path / "ws")}
    run = subprocess.run([sys.executable, "-m", "geo.importers.cli", "import", "posyandu",
                          str(src), "--report", str(tmp_path / "r.csv")], cwd=REPO_ROOT,
                         env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "2 diterima" in run.stdout
