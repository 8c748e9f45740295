"""Indicator tables and hazard zones."""
from __future__ import annotations

import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import Polygon

from geo.hazards.importer import hazard_class, import_hazards
from geo.importers.indicators import import_indicators, parse_value
from tests.helpers import D, R, W, problems


def test_indicator_table_codes_names_decimal_commas(tmp_path):
    path = tmp_path / "stunting.csv"
    path.write_bytes((
        "Prevalensi stunting Kalimantan Tengah\n"
        "Kode;Kabupaten/Kota;Tahun;Survei;Prevalensi (%);Sumber\n"
        "6201;Kotawaringin Barat;2022;SSGI 2022;26,1%;SSGI\n"
        ";Kota Palangka Raya;2022;SSGI 2022;21,3;SSGI\n"
        ";Kabupaten Entah;2022;SSGI 2022;30;SSGI\n"
        "62.03;Kapuas;2022;SSGI 2022;;SSGI\n"
        "62.01;Kotawaringin Barat;2022;SSGI 2022;27;SSGI\n"
        "62.02;Kotawaringin Timur;;SSGI 2022;abc;SSGI\n"
        ";Indonesia;2022;SSGI 2022;21,6;SSGI\n"
        "Jumlah;;;;;\n").encode("cp1252"))
    res = import_indicators(path)
    assert problems(res) == [
        (3, "kode", "6201", "kode dinormalkan menjadi 62.01", D),
        (4, "nama", "Kota Palangka Raya", "kode 62.71 diisi berdasarkan nama: Kota Palangkaraya "
         "(kecocokan 100%)", D),
        (5, "nama", "Kabupaten Entah", "nama wilayah tidak ditemukan pasti di daftar Kemendagri; "
         "tambahkan kode wilayah", R),
        (6, "nilai", "", "nilai kosong", R),
        (7, "", "", "data 62.01 Prevalensi (%) 2022 sudah ada di baris 3 (duplikat); tidak "
         "diimpor", R),
        (8, "nilai", "abc", "nilai bukan angka", R),
        (10, "", "Jumlah", "baris jumlah/total, bukan data wilayah; tidak diimpor", R),
    ]
    d = res.data
    assert d[["code", "name", "level", "tahun", "nilai"]].values.tolist() == [
        ["62.01", "Kabupaten Kotawaringin Barat", "kabupaten", 2022, 26.1],
        ["62.71", "Kota Palangkaraya", "kabupaten", 2022, 21.3],
        ["00", "Indonesia", "nasional", 2022, 21.6],
    ]
    assert set(d["indikator"]) == {"Prevalensi (%)"} and set(d["survei"]) == {"SSGI 2022"}
    assert res.report.counts == {"diterima": 3, "diperbaiki": 2, "ditolak": 5, "peringatan": 0}


@pytest.mark.parametrize("text,value", [("26,1%", 26.1), ("1.234.567", 1234567.0),
                                        ("1.234,5", 1234.5), ("1,234,567", 1234567.0),
                                        ("-0,5", -0.5), ("x", None)])
def test_parse_value(text, value):
    assert parse_value(text) == value


def test_hazard_zones_utm50s_zip_type_from_filename(tmp_path):
    sq = lambda x, y: Polygon([(x, y), (x + .1, y), (x + .1, y + .1), (x, y + .1)])  # noqa: E731
    gdf = gpd.GeoDataFrame({"KELAS": ["Tinggi", "Sangat Tinggi", "sedang", "x", "1"],
                            "INDEKS": [0.8, 0.9, 0.5, 0.1, 0.2]},
                           geometry=[sq(114.5, -2.0), sq(114.7, -2.0), sq(114.9, -2.0),
                                     sq(115.1, -2.0), sq(115.3, -2.0)],
                           crs="EPSG:4326").to_crs("EPSG:32750")
    folder = tmp_path / "src"
    folder.mkdir()
    gdf.to_file(folder / "zona.shp", engine="pyogrio")
    path = tmp_path / "INDEKS_BAHAYA_BANJIR.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for ext in ("shp", "shx", "dbf", "prj"):
            zf.write(folder / f"zona.{ext}", f"zona.{ext}")
    res = import_hazards(path)
    assert "Jenis bahaya 'banjir' diambil dari nama berkas." in res.report.notes
    assert problems(res) == [
        (2, "KELAS", "Sangat Tinggi", "'sangat tinggi' digolongkan 'tinggi'", D),
        (4, "KELAS", "x", "kelas bahaya harus rendah, sedang atau tinggi", R),
    ]
    assert res.data[["id", "jenis", "kelas", "baris"]].values.tolist() == [
        ["INDEKS_BAHAYA_BANJIR-1", "banjir", "tinggi", 1],
        ["INDEKS_BAHAYA_BANJIR-2", "banjir", "tinggi", 2],
        ["INDEKS_BAHAYA_BANJIR-3", "banjir", "sedang", 3],
        ["INDEKS_BAHAYA_BANJIR-5", "banjir", "rendah", 5]]
    assert set(res.data["sumber"]) == {"INDEKS_BAHAYA_BANJIR.zip"}
    assert not res.data["sampel"].any()
    # The lead's exposure code accepts the imported zones as they are.
    from geo.hazards.zones import classify_posyandu
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy([114.55, 115.15], [-1.95, -1.95]),
                           crs=4326)
    assert classify_posyandu(pts, res.data)["hazard_max"].tolist() == ["tinggi", None]
    assert res.data.crs.to_epsg() == 4326
    assert res.data.total_bounds[0] == pytest.approx(114.5, abs=1e-6)


def test_hazard_type_from_field_and_unknown(tmp_path):
    sq = Polygon([(113.9, -2.3), (114.0, -2.3), (114.0, -2.2), (113.9, -2.2)])
    gdf = gpd.GeoDataFrame({"JENIS_BAHAYA": ["Tanah Longsor", "Angin Puting Beliung", "Hujan Es",
                                             None],
                            "KELAS": ["TINGGI", "Rendah", "Sedang", "Sedang"]},
                           geometry=[sq] * 4, crs=4326)
    path = tmp_path / "zona.geojson"
    path.write_text(gdf.to_json())
    res = import_hazards(path)
    assert res.data["jenis"].tolist() == ["tanah_longsor", "cuaca_ekstrem", "hujan_es"]
    assert problems(res) == [
        (3, "JENIS_BAHAYA", "Hujan Es", "jenis bahaya tidak dikenal; disimpan apa adanya", W),
        (4, "JENIS_BAHAYA", "", "jenis bahaya kosong", R)]


def test_hazard_classes():
    assert hazard_class(0.7) == ("tinggi", "indeks 0.7 diklasifikasikan menjadi 'tinggi' "
                                           "(ambang InaRISK)")
    assert hazard_class("Kelas Rendah") == ("rendah", None)
    assert hazard_class(3) == ("tinggi", None)
    assert hazard_class("bahaya") == (None, None)
