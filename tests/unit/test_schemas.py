"""One schema per kind of imported data (geo.importers.schemas), checked before every save
(issue 30): what the importers produce from real files fits; a frame with the wrong
columns, types, ranges, keys or geometry is refused as a whole with a message naming the
data, the column and the rows, and nothing is written."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import workspace
from geo.config import data_path
from geo.importers import import_posyandu
from geo.importers.aggregates import import_aggregates
from geo.importers.schemas import SCHEMAS, SchemaError, enforce
from geo.store.files import FileStore
from tests.helpers import boundary_frame, indicator_frame, zones_frame

TEMPLATE = "data/templates/posyandu_template.csv"
KUKAR = "indicators/posyandu_kukar_kecamatan_2024.csv"


@pytest.fixture(autouse=True)
def _ws(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path / "ws"))


def _refused(kind: str, frame, *needles: str) -> str:
    with pytest.raises(SchemaError) as info:
        enforce(kind, frame)
    msg = str(info.value)
    for needle in needles:
        assert needle in msg, msg
    assert msg.startswith(workspace.KIND_LABELS.get(kind, "Daftar lokasi situs"))
    return msg


def _registry():
    from geo.config import REPO_ROOT
    return import_posyandu(REPO_ROOT / TEMPLATE).data


# ---- real importer output fits ---------------------------------------------------------

def test_imported_files_fit_their_schema(tmp_path):
    assert SCHEMAS["posyandu"].problems(_registry()) == []
    assert SCHEMAS["agregat"].problems(import_aggregates(data_path(KUKAR)).data) == []
    from geo.importers.boundaries import import_boundaries
    kec = gpd.read_file(data_path("boundaries/kalteng62_districts.geojson")).head(20)
    kec.to_file(tmp_path / "kec.geojson")
    res = import_boundaries(tmp_path / "kec.geojson", "kecamatan", parent="62")
    assert len(res.data) == 20 and SCHEMAS["batas_kecamatan"].problems(res.data) == []
    from geo.hazards.zones import sample_hazard_zones
    assert SCHEMAS["bahaya"].problems(sample_hazard_zones("62", 0)) == []


def test_indicator_table_and_sites_fit(tmp_path):
    from geo.connectivity.sites import import_sites
    from geo.importers.indicators import import_indicators
    path = tmp_path / "s.csv"
    path.write_text("Kode;Kabupaten/Kota;Tahun;Survei;Prevalensi (%);Sumber\n"
                    "62.01;Kotawaringin Barat;2022;SSGI 2022;26,1%;SSGI\n"
                    ";Indonesia;2022;SSGI 2022;21,6;SSGI\n", encoding="utf-8")
    assert SCHEMAS["indikator"].problems(import_indicators(path).data) == []
    path = tmp_path / "situs.csv"
    path.write_text("id;nama;kode desa;lat;lon\nA;Menara;6271011001;-2.2;113.9\n"
                    "B;x;bukan-kode;-2.3;113.8\n", encoding="utf-8")
    res = import_sites(path)
    assert res.data["kode_desa"].iloc[0] == "62.71.01.1001"
    assert pd.isna(res.data["kode_desa"].iloc[1])
    assert any("bukan kode desa" in m for m in res.report.problems["pesan"])
    assert SCHEMAS["situs"].problems(res.data) == []


# ---- each kind: broken frames are refused by name --------------------------------------

def test_registry_rules():
    good = _registry()
    _refused("posyandu", good.drop(columns="nama"), "kolom 'nama' tidak ada")
    bad = good.copy()
    bad["jumlah_kader"] = bad["jumlah_kader"].astype("float64")
    bad.loc[bad.index[0], "jumlah_kader"] = np.inf
    _refused("posyandu", bad, "kolom 'jumlah_kader' harus berisi angka terhingga", "baris 2")
    bad = good.copy()
    bad["aktif"] = bad["aktif"].astype(object)
    bad.loc[bad.index[1], "aktif"] = "ya"
    _refused("posyandu", bad, "kolom 'aktif' harus berisi ya/tidak", "3: 'ya'")
    bad = good.copy()
    bad["kode_desa"] = bad["kode_desa"].astype(object)
    bad.loc[bad.index[0], "kode_desa"] = 6271011001
    _refused("posyandu", bad, "kolom 'kode_desa' harus berisi teks")
    bad = good.copy()
    bad.loc[bad.index[0], "kode_desa"] = "62.71.01"
    _refused("posyandu", bad, "kode tingkat desa")
    bad = good.copy()
    bad.loc[bad.index[1], "id"] = bad["id"].iloc[0]
    _refused("posyandu", bad, "kolom 'id' berisi nilai ganda")
    bad = good.copy()
    bad.loc[bad.index[0], "balita_sasaran"] = -4
    _refused("posyandu", bad, "kolom 'balita_sasaran' harus antara 0 dan 1.000.000")
    bad = good.copy()
    bad.loc[bad.index[0], "nama"] = "Posyandu\x00Mawar"
    _refused("posyandu", bad, "karakter NUL")
    bad = good.copy()
    bad.loc[bad.index[0], "strata"] = "Super"
    _refused("posyandu", bad, "kolom 'strata' harus salah satu dari Pratama")
    _refused("posyandu", good.to_crs(32750), "EPSG:4326")
    poly = good.copy()
    poly.loc[poly.index[0], "geometry"] = shapely.box(113, -2, 114, -1)
    _refused("posyandu", poly, "jenis geometri harus Point, bukan Polygon")
    # a row without coordinates (placed by its village code) is fine
    ok = good.copy()
    ok.loc[ok.index[0], "geometry"] = None
    assert SCHEMAS["posyandu"].problems(ok) == []


def test_boundary_rules():
    good = boundary_frame(3, "kabupaten")
    assert SCHEMAS["batas_kabupaten"].problems(good) == []
    _refused("batas_kecamatan", good, "kode tingkat kecamatan", "level")
    dup = good.copy()
    dup.loc[2, "code"] = "62.01"
    _refused("batas_kabupaten", dup, "kolom 'code' berisi nilai ganda", "3: '62.01'")
    empty = good.copy()
    empty.loc[1, "geometry"] = shapely.Polygon()
    _refused("batas_kabupaten", empty, "geometri kosong (1 baris; baris 2)")
    world = good.copy()
    world.loc[0, "geometry"] = shapely.box(-200, -95, 200, 95)
    _refused("batas_kabupaten", world, "koordinat di luar bumi")
    line = good.copy()
    line.loc[0, "geometry"] = shapely.LineString([(113, -2), (114, -2)])
    _refused("batas_kabupaten", line, "bukan LineString")
    _refused("batas_kabupaten", pd.DataFrame(good.drop(columns="geometry")),
             "tidak memiliki geometri")


def test_indicator_and_aggregate_rules():
    good = indicator_frame(3)
    for kind in ("indikator", "agregat"):
        assert SCHEMAS[kind].problems(good) == []
        bad = good.copy()
        bad.loc[0, "nilai"] = np.nan
        _refused(kind, bad, "kolom 'nilai' kosong")
        bad = good.copy()
        bad["nilai"] = bad["nilai"].astype(str)
        _refused(kind, bad, "kolom 'nilai' harus berisi angka")
        bad = good.copy()
        bad.loc[1, "nilai"] = -1e308
        _refused(kind, bad, "kolom 'nilai' harus antara")
        bad = good.copy()
        bad.loc[2, "indikator"] = bad.loc[1, "indikator"]
        _refused(kind, bad, "kombinasi code, indikator ganda")
        _refused(kind, bad.assign(tahun=2024, survei="SSGI 2024"),
                 "kombinasi code, indikator, tahun, survei ganda (1 baris; baris 3)")
        bad = good.assign(tahun=pd.array([2024, 2024, 20245], dtype="Int64"))
        _refused(kind, bad, "kolom 'tahun' harus antara 1900 dan 2100")
        _refused(kind, good.assign(code=["62", "xx", "62.71.01.1001.7"]),
                 "kolom 'code' harus berisi kode Kemendagri")


def test_hazard_rules():
    good = zones_frame(2)
    assert SCHEMAS["bahaya"].problems(good) == []
    _refused("bahaya", good.assign(kelas=["tinggi", "sangat tinggi"]),
             "kolom 'kelas' harus salah satu dari rendah, sedang, tinggi")
    _refused("bahaya", good.assign(jenis=["banjir", "Banjir Bandang!"]),
             "kolom 'jenis' berisi nilai yang tidak sah")
    _refused("bahaya", good.assign(sampel=["ya", "tidak"]), "kolom 'sampel' harus berisi ya/tidak")
    table = pd.DataFrame({"jenis": ["karhutla"], "file": ["karhutla.tif"], "sumber": ["x"],
                          "sampel": [False], "breaks": ["0.333,0.666"]})
    assert SCHEMAS["bahaya_raster"].problems(table) == []
    _refused("bahaya_raster", table.assign(file=["../../etc/passwd"]),
             "kolom 'file' berisi nilai yang tidak sah")
    _refused("bahaya_raster", table.assign(breaks=["rendah"]), "kolom 'breaks'")


def test_site_rules():
    good = pd.DataFrame({"site_id": ["A", "B"], "nama": ["x", None], "kode_desa": [None, None],
                         "lon": [113.9, 114.0], "lat": [-2.2, -2.3], "baris": [2, 3]})
    assert SCHEMAS["situs"].problems(good) == []
    _refused("situs", good.assign(lat=[-2.2, np.nan]), "kolom 'lat' kosong (1 baris; baris 3)")
    _refused("situs", good.assign(site_id=["A", "A"]), "kolom 'site_id' berisi nilai ganda")


# ---- applied at the save ---------------------------------------------------------------

def test_save_of_a_broken_frame_is_refused_and_nothing_written():
    good = _registry()
    v1 = FileStore().save("posyandu", good, name="baik.csv")
    bad = good.copy()
    bad["lat"] = bad["lat"].astype(object)
    bad.loc[bad.index[0], "lat"] = "-2,2"
    with pytest.raises(workspace.SchemaRefused) as info:
        FileStore().save("posyandu", bad, name="rusak.csv")
    msg = str(info.value)
    assert msg.startswith("Registri Posyandu tidak disimpan karena tidak sesuai skema: "
                          "kolom 'lat' harus berisi")
    assert msg.endswith("Data sebelumnya tetap dipakai.")
    assert workspace.current("posyandu").version == v1.version
    assert len(workspace.list_versions("posyandu")) == 1
    with pytest.raises(workspace.WorkspaceError, match="Zona bahaya tidak disimpan"):
        workspace.save("bahaya", zones_frame(1).assign(kelas=["?"]), name="z")
    assert workspace.current("bahaya") is None


def test_cli_names_a_refused_save(tmp_path, capsys, monkeypatch):
    """The importer CLI prints the schema's message (never "Galat tak terduga")."""
    from geo.importers import cli, schemas
    broken = schemas.Schema("posyandu", (schemas.Column("nama_tambahan", "text",
                                                        required=True),))
    monkeypatch.setitem(schemas.SCHEMAS, "posyandu", broken)
    from geo.config import REPO_ROOT
    rc = cli.main(["import", "posyandu", str(REPO_ROOT / TEMPLATE), "--save"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "GAGAL menyimpan: Registri Posyandu tidak disimpan karena tidak sesuai skema: " \
           "kolom 'nama_tambahan' tidak ada" in err


def test_importers_name_values_the_schema_would_refuse(tmp_path):
    """inf, NaN and values beyond 1e12 are named per row by the importers, so a file with
    such a row is saved without it instead of refused whole at the save."""
    from geo.importers.indicators import import_indicators
    path = tmp_path / "i.csv"
    path.write_text("Kode;Wilayah;Tahun;Survei;Prevalensi (%);Sumber\n"
                    "62.01;Kotawaringin Barat;2024;SSGI 2024;26,1;x\n"
                    "62.02;Kotawaringin Timur;2024;SSGI 2024;1e19;x\n"
                    "62.03;Kapuas;2024;SSGI 2024;inf;x\n", encoding="utf-8")
    res = import_indicators(path)
    assert res.data["code"].tolist() == ["62.01"]
    msgs = dict(zip(res.report.problems["baris"], res.report.problems["pesan"]))
    assert "di luar rentang" in msgs[3] and msgs[4] == "nilai bukan angka"
    FileStore().save("indikator", res.data, name="i.csv")
    path = tmp_path / "a.csv"
    path.write_text("kode kecamatan;nama kecamatan;jumlah posyandu;jumlah kader\n"
                    "62.71.01;Pahandut;1e19;210\n", encoding="utf-8")
    res = import_aggregates(path, level="kecamatan", parent="62.71")
    assert any("paling besar" in m for m in res.report.problems["pesan"])
    assert SCHEMAS["agregat"].problems(res.data) == []
