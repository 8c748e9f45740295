"""Boundary importer: BIG shapefile zip in UTM 49S without codes, GeoJSON with undotted
codes and broken geometries, no-CRS files, GeoPackage in TM-3, KML."""
from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point, Polygon

from geo.importers.boundaries import import_boundaries
from geo.regions import boundaries as regions
from tests.helpers import D, R, W, problems

# Regency names as BIG writes them (WADMKK): no "Kabupaten", cities as "Kota …",
# and "Palangka Raya" in two words where Kemendagri writes "Palangkaraya".
BIG_NAMES = {"62.01": "Kotawaringin Barat", "62.02": "Kotawaringin Timur", "62.03": "Kapuas",
             "62.04": "Barito Selatan", "62.05": "Barito Utara", "62.06": "Katingan",
             "62.07": "Seruyan", "62.08": "Sukamara", "62.09": "Lamandau",
             "62.10": "Gunung Mas", "62.11": "Pulang Pisau", "62.12": "Murung Raya",
             "62.13": "Barito Timur", "62.71": "Kota Palangka Raya"}


def _shp_zip(gdf: gpd.GeoDataFrame, folder, name="BATAS_KABUPATEN", prj=True):
    folder.mkdir(parents=True, exist_ok=True)
    gdf.to_file(folder / f"{name}.shp", engine="pyogrio")
    out = folder / f"{name}.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for ext in ("shp", "shx", "dbf", "cpg") + (("prj",) if prj else ()):
            zf.write(folder / f"{name}.{ext}", f"{name}/{name}.{ext}")
    return out


@pytest.fixture(scope="module")
def kalteng():
    return regions.boundaries("kabupaten", ["62"]).sort_values("code").reset_index(drop=True)


def test_big_shapefile_zip_utm49s_names_only(tmp_path, kalteng):
    shp = gpd.GeoDataFrame({"NAMOBJ": [BIG_NAMES[c] for c in kalteng["code"]],
                            "WADMKK": [BIG_NAMES[c] for c in kalteng["code"]],
                            "WADMPR": "Kalimantan Tengah", "TIPADM": 2},
                           geometry=kalteng.geometry.values, crs="EPSG:4326").to_crs("EPSG:32749")
    path = _shp_zip(shp, tmp_path / "src")
    res = import_boundaries(path, "kabupaten")
    rep = res.report
    assert rep.fatal is None
    assert "Sistem koordinat asal WGS 84 / UTM zone 49S (EPSG:32749); diproyeksikan ulang ke " \
           "WGS 84 (EPSG:4326)." in rep.notes
    assert rep.counts == {"diterima": 14, "diperbaiki": 14, "ditolak": 0, "peringatan": 0}
    assert problems(res)[0] == (1, "WADMKK", "Kotawaringin Barat", "kode 62.01 diisi "
                                "berdasarkan nama di 62 Kalimantan Tengah: Kabupaten Kotawaringin "
                                "Barat (kecocokan 100%)", D)
    assert problems(res)[13] == (14, "WADMKK", "Kota Palangka Raya", "kode 62.71 diisi "
                                 "berdasarkan nama di 62 Kalimantan Tengah: Kota Palangkaraya "
                                 "(kecocokan 100%)", D)
    data = res.data
    assert data.crs.to_epsg() == 4326
    assert data["code"].tolist() == kalteng["code"].tolist()
    assert data["name"].tolist() == kalteng["name"].tolist()
    assert set(data["level"]) == {"kabupaten"} and set(data["parent_code"]) == {"62"}
    assert set(data.geom_type) == {"MultiPolygon"} and data.is_valid.all()
    # Round trip through UTM moves the polygons by far less than a metre.
    for got, want in zip(data.geometry, kalteng.geometry):
        assert shapely.symmetric_difference(got, want).area < 1e-6 * want.area + 1e-9


def test_geojson_undotted_codes_invalid_and_odd_features(tmp_path):
    sq = lambda x, y, d=0.05: Polygon([(x, y), (x + d, y), (x + d, y + d), (x, y + d)])  # noqa: E731
    bowtie = Polygon([(113.9, -2.2), (114.0, -2.1), (114.0, -2.2), (113.9, -2.1)])
    gdf = gpd.GeoDataFrame({
        "KDPKAB": ["6271", "62.02", "62.02", "6299", "6201", None, "62.03", "1171"],
        "WADMKK": ["Palangka Raya", "Kotawaringin Timur", "Kotawaringin Timur (pulau)",
                   "Kabupaten Baru", "Kotawaringin Barat", "Barito Kuala", "Kapuas", "Banda Aceh"],
    }, geometry=[bowtie, sq(112.9, -2.5), sq(113.0, -3.3, 0.02), sq(113.5, -1.5),
                 Point(111.6, -2.7), sq(114.0, -3.0), sq(10.0, 50.0), sq(95.3, 5.5)],
        crs="EPSG:4326")
    path = tmp_path / "kab.geojson"
    path.write_text(gdf.to_json(), encoding="utf-8")
    res = import_boundaries(path, "kabupaten", parent="62")
    assert problems(res) == [
        (1, "KDPKAB", "6271", "kode dinormalkan menjadi 62.71", D),
        (1, "geometry", "", "geometri tidak valid (Self-intersection[113.95 -2.15]); diperbaiki", D),
        (3, "KDPKAB", "62.02", "kode 62.02 juga dipakai fitur 2; poligonnya digabung", W),
        (4, "KDPKAB", "6299", "kode dinormalkan menjadi 62.99", D),
        (4, "KDPKAB", "62.99", "kode 62.99 tidak ada di daftar kode Kemendagri; dipakai dengan "
         "nama dari berkas", W),
        (5, "KDPKAB", "6201", "kode dinormalkan menjadi 62.01", D),
        (5, "geometry", "", "geometri Point bukan poligon", R),
        (6, "WADMKK", "Barito Kuala", "nama 'Barito Kuala' tidak ditemukan pasti di daftar "
         "Kemendagri di 62 Kalimantan Tengah; saran: 62.05 Kabupaten Barito Utara (kecocokan "
         "82%), kecocokan terlalu rendah. Tambahkan kolom kode atau perbaiki nama", R),
        (7, "geometry", "", "poligon berada di luar wilayah Indonesia (periksa sistem koordinat)",
         R),
        (8, "KDPKAB", "1171", "kode dinormalkan menjadi 11.71", D),
        (8, "KDPKAB", "11.71", "kode 11.71 berada di luar wilayah induk 62", R),
    ]
    assert res.report.accepted_rows == [1, 2, 3, 4]
    assert res.report.rejected_rows == [5, 6, 7, 8]
    assert res.report.counts == {"diterima": 4, "diperbaiki": 2, "ditolak": 4, "peringatan": 2}
    data = res.data.set_index("code")
    assert list(data.index) == ["62.02", "62.71", "62.99"]
    assert data.loc["62.71", "name"] == "Kota Palangkaraya"
    assert data.loc["62.99", "name"] == "Kabupaten Baru"
    assert len(data.loc["62.02", "geometry"].geoms) == 2          # two features merged
    assert data.is_valid.all()
    out = tmp_path / "out.geojson"
    from geo.importers.boundaries import to_geojson
    to_geojson(res.data, out)
    props = json.loads(out.read_text())["features"][0]["properties"]
    assert {"code", "name", "level", "parent_code"} <= set(props)


def test_no_crs_in_metres_is_refused_then_accepted_with_crs(tmp_path, kalteng):
    utm = gpd.GeoDataFrame({"KDPKAB": kalteng["code"]}, geometry=kalteng.geometry.values,
                           crs="EPSG:4326").to_crs("EPSG:32750").set_crs(None, allow_override=True)
    with pytest.warns(UserWarning, match="crs"):
        path = _shp_zip(utm, tmp_path / "src", prj=False)
    res = import_boundaries(path, "kabupaten")
    assert res.report.fatal.startswith(
        "berkas tidak memiliki informasi sistem koordinat (berkas .prj tidak ada) dan "
        "koordinatnya bukan derajat (contoh x=")
    assert "EPSG:32749 untuk UTM 49S, EPSG:32750 untuk UTM 50S" in res.report.fatal
    assert not res.report.ok and len(res.data) == 0
    res = import_boundaries(path, "kabupaten", crs="EPSG:32750")
    assert res.report.accepted == 14 and res.report.problems.empty
    assert res.data.geometry.iloc[0].representative_point().within(
        kalteng.geometry.iloc[0].buffer(0.001))


def test_no_crs_plain_degrees_assumed_wgs84(tmp_path, kalteng):
    deg = gpd.GeoDataFrame({"KDPKAB": kalteng["code"]}, geometry=kalteng.geometry.values)
    path = _shp_zip(deg, tmp_path / "src", prj=False)
    res = import_boundaries(path, "kabupaten")
    assert ("Berkas tanpa informasi sistem koordinat; koordinatnya berupa derajat di wilayah "
            "Indonesia sehingga dianggap WGS 84 (EPSG:4326).") in res.report.notes
    assert res.report.accepted == 14


def test_geopackage_tm3_kecamatan_with_parent(tmp_path):
    kec = regions.boundaries("kecamatan", ["62"])
    kec = kec.loc[kec["code"].str.startswith(("62.71.", "62.01.01"))].sort_values("code")
    gdf = gpd.GeoDataFrame({"KDCPUM": kec["code"].str.replace(".", "", regex=False).tolist(),
                            "WADMKC": kec["name"].tolist()},
                           geometry=kec.geometry.values, crs="EPSG:4326").to_crs("EPSG:23835")
    path = tmp_path / "kecamatan.gpkg"
    gdf.to_file(path, layer="kecamatan_tm3", engine="pyogrio")
    res = import_boundaries(path, "kecamatan", parent="62.71")
    assert any("DGN95 / Indonesia TM-3 zone 49.1 (EPSG:23835)" in n for n in res.report.notes)
    assert res.data["code"].tolist() == ["62.71.01", "62.71.02", "62.71.03", "62.71.04",
                                         "62.71.05"]
    assert set(res.data["parent_code"]) == {"62.71"}
    assert res.report.messages(1) == [("KDCPUM", "kode dinormalkan menjadi 62.01.01", D),
                                      ("KDCPUM", "kode 62.01.01 berada di luar wilayah induk "
                                       "62.71", R)]


def test_kml_names_within_parent(tmp_path):
    kec = regions.boundaries("kecamatan", ["62"])
    kec = kec.loc[kec["code"].str.startswith("62.71.")].sort_values("code")
    names = ["Kec. Pahandut", "Bukit Batu", "JEKAN RAYA", "Sebangau", "Rakumpit"]
    gdf = gpd.GeoDataFrame({"Name": names}, geometry=kec.geometry.values, crs="EPSG:4326")
    path = tmp_path / "kecamatan.kml"
    gdf.to_file(path, driver="KML", engine="pyogrio")
    res = import_boundaries(path, "kecamatan", parent="62.71")
    assert "Sistem koordinat: WGS 84 (EPSG:4326)." in res.report.notes
    # "Sebangau" is 88 % like the official "Sabangau": below 90 %, offered, never applied.
    assert res.data["code"].tolist() == ["62.71.01", "62.71.02", "62.71.03", "62.71.05"]
    assert res.report.messages(1) == [
        ("Name", "kode 62.71.01 diisi berdasarkan nama di 62.71 Kota Palangkaraya: Pahandut "
         "(kecocokan 100%)", D)]
    assert res.report.messages(4) == [
        ("Name", "nama 'Sebangau' tidak ditemukan pasti di daftar Kemendagri di 62.71 Kota "
         "Palangkaraya; saran: 62.71.04 Sabangau (kecocokan 88%), kecocokan terlalu rendah. "
         "Tambahkan kolom kode atau perbaiki nama", R)]
