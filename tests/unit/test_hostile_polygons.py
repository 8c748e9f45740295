"""Hostile boundary and hazard polygons (issue 30, items 5–6): a spiky polygon of 300,000
vertices is refused by the vertex limit before any validity check; boundaries are checked
against their parent region (whole world, across the antimeridian, Palangka Raya moved to
Papua), while the bundled boundaries of Kalimantan Tengah still import cleanly."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from benchmarks.hostile_corpus import star
from geo.hazards.importer import import_hazards
from geo.importers import boundaries as bimp
from geo.importers.boundaries import import_boundaries, outside_parent
from geo.importers.safety import DEFAULT_MAX_VERTICES, max_vertices, max_vertices_file
from geo.regions import boundaries as regions
from tests.helpers import R, W, problems


@pytest.fixture(scope="module")
def kec62():
    return regions.boundaries("kecamatan", ["62"]).set_index("code")


def _geojson(tmp_path, name, codes, geoms, field="KDCPUM"):
    path = tmp_path / name
    gpd.GeoDataFrame({field: codes}, geometry=list(geoms), crs="EPSG:4326").to_file(
        path, driver="GeoJSON", engine="pyogrio")
    return path


def test_vertex_limits_have_env_overrides(monkeypatch):
    monkeypatch.delenv("PETA_MAX_VERTICES", raising=False)
    assert max_vertices() == DEFAULT_MAX_VERTICES == 100_000
    monkeypatch.setenv("PETA_MAX_VERTICES", "250000")
    monkeypatch.setenv("PETA_MAX_VERTICES_FILE", "x")          # unreadable: the default
    assert max_vertices() == 250_000 and max_vertices_file() == 10_000_000


def test_spiky_polygon_refused_by_the_limit_before_repair(tmp_path, kec62, monkeypatch):
    seen = []
    real_repair = bimp.repair

    def spy(geom):
        seen.append(int(shapely.get_num_coordinates(geom)))
        return real_repair(geom)
    monkeypatch.setattr(bimp, "repair", spy)
    monkeypatch.setattr(shapely, "is_valid_reason", lambda g: pytest.fail("validity checked"))
    good = kec62.loc["62.71.02", "geometry"]
    path = _geojson(tmp_path, "kec.geojson", ["62.71.01", "62.71.02"], [star(300_000), good])
    res = import_boundaries(path, "kecamatan", parent="62.71")
    assert problems(res) == [
        (1, "geometry", "62.71.01", "poligon terlalu rumit: 300.001 titik sudut (batas 100.000 "
         "per fitur); sederhanakan poligonnya (misalnya Simplify di QGIS atau mapshaper) atau "
         "minta admin menaikkan PETA_MAX_VERTICES", R)]
    assert res.report.accepted_rows == [1 + 1] and list(res.data["code"]) == ["62.71.02"]
    assert seen == [int(shapely.get_num_coordinates(good))]       # only the valid feature


def test_hazard_zones_share_the_vertex_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_MAX_VERTICES", "1000")
    path = tmp_path / "zona_banjir.geojson"
    path.write_text(gpd.GeoDataFrame({"kelas": ["tinggi", "rendah"]},
                                     geometry=[star(5000), shapely.box(113.9, -2.3, 114, -2.2)],
                                     crs="EPSG:4326").to_json(), encoding="utf-8")
    res = import_hazards(path, jenis="banjir")
    assert res.report.accepted_rows == [2]
    assert any(r == 1 and "5.001 titik sudut (batas 1.000 per fitur)" in m and lvl == R
               for r, _, _, m, lvl in problems(res))


def test_file_vertex_limit_refuses_the_whole_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_MAX_VERTICES_FILE", "10000")
    path = _geojson(tmp_path, "kec.geojson", ["62.71.01", "62.71.02"], [star(6000), star(6000)])
    res = import_boundaries(path, "kecamatan", parent="62.71")
    assert not res.report.ok
    assert res.report.fatal.startswith("berkas berisi 12.002 titik sudut poligon (batas 10.000 "
                                       "per berkas)")


def test_polygons_not_in_their_parent_are_refused(tmp_path, kec62):
    pahandut = kec62.loc["62.71.01", "geometry"]
    to_papua = shapely.affinity.translate(pahandut, 24.0, -2.0)    # ~138°E, 4°S
    small_to_papua = shapely.box(138.0, -4.0, 138.01, -3.99)
    whole_world = shapely.box(-180, -90, 180, 90)
    across = Polygon([(179.5, -9), (-179.5, -9), (-179.5, -8), (179.5, -8)])
    beyond_180 = shapely.box(179.5, -9, 180.5, -8)
    indonesia = shapely.box(95.0, -11.0, 141.0, 6.0)
    north_of_natuna = shapely.box(108.0, 7.0, 108.5, 7.5)
    codes = ["62.71.01"] * 7 + ["62.71.02", "62.71.03"]
    geoms = [whole_world, across, beyond_180, to_papua, small_to_papua, indonesia,
             north_of_natuna, kec62.loc["62.71.02", "geometry"], pahandut]
    path = _geojson(tmp_path, "kec.geojson", codes, geoms)
    for parent in ("62.71", None):                 # --parent, or the code's own parent
        res = import_boundaries(path, "kecamatan", parent=parent)
        found = {r: m for r, _, v, m, lvl in problems(res) if lvl == R}
        assert sorted(found) == [1, 2, 3, 4, 5, 6, 7], problems(res)
        for r in (1, 2, 3):
            assert "melintasi garis bujur 180° (antimeridian)" in found[r]
        assert found[4].startswith("poligon 62.71.01 tidak berada di dalam wilayah induknya "
                                   "62.71 Kota Palangkaraya: letaknya ±")
        assert "km dari batas wilayah induk" in found[4] and "km dari" in found[5]
        assert found[6].startswith("poligon 62.71.01 tidak berada di dalam wilayah induknya "
                                   "62.71 Kota Palangkaraya: 100% luasnya berada lebih dari")
        assert found[7].startswith("poligon keluar dari wilayah Indonesia")
        assert res.report.accepted_rows == [8, 9]
        assert sorted(res.data["code"]) == ["62.71.02", "62.71.03"]


def test_kabupaten_moved_to_another_province_is_refused(tmp_path):
    kab = regions.boundaries("kabupaten", ["62"]).set_index("code")
    moved = shapely.affinity.translate(kab.loc["62.71", "geometry"], 24.0, -2.0)
    path = _geojson(tmp_path, "kab.geojson", ["62.71", "62.01"],
                    [moved, kab.loc["62.01", "geometry"]], field="KDPKAB")
    res = import_boundaries(path, "kabupaten", parent="62")
    assert [(r, lvl) for r, _, _, _, lvl in problems(res)] == [(1, R)]
    assert "tidak berada di dalam wilayah induknya 62 Kalimantan Tengah" in problems(res)[0][3]
    assert res.report.accepted_rows == [2]


def test_bundled_kecamatan_of_kalimantan_tengah_fit_their_parents(tmp_path, kec62):
    """The tolerance admits the bundled data (levels simplified independently: slivers,
    coastlines, islands); every kecamatan of 62 imports against its kabupaten."""
    path = _geojson(tmp_path, "kec62.geojson", list(kec62.index), kec62.geometry.values)
    res = import_boundaries(path, "kecamatan", parent="62")
    assert res.report.rejected == 0 and res.report.accepted == len(kec62)
    assert not [p for p in problems(res) if "induk" in p[3]]


def test_parent_tolerance_allows_slivers_and_nearby_islands():
    parent = shapely.box(113.0, -3.0, 114.0, -2.0)
    sliver = shapely.box(113.5, -2.1, 113.8, -1.99)           # 1 km over the edge
    island = shapely.box(114.05, -2.5, 114.07, -2.48)          # 2 km across, 5 km offshore
    half_out = shapely.box(113.9, -2.5, 114.3, -2.2)           # 3/4 of it beyond the edge
    assert outside_parent(sliver, parent) is None
    assert outside_parent(island, parent) is None
    assert "luasnya berada lebih dari" in outside_parent(half_out, parent)
    assert "km dari batas" in outside_parent(shapely.box(115, -3, 115.01, -2.99), parent)


def test_nan_coordinates_are_refused_before_repair():
    from geo.importers.vector import geometry_findings
    with np.errstate(invalid="ignore"):
        bad = Polygon([(113, -2), (float("nan"), -2), (113.1, -1.9)])
    assert [f["pesan"] for f in geometry_findings(3, bad, within_indonesia=True)] == [
        "koordinat poligon tidak sah (NaN atau tak hingga)"]


def test_grandparent_fallback_is_a_warning(tmp_path, kec62, monkeypatch):
    """A polygon outside its kecamatan but inside its kabupaten (the bundled desa and
    kecamatan layers disagree in places) is kept with a warning naming both."""
    elsewhere = kec62.loc["62.71.05", "geometry"].representative_point()
    desa = shapely.box(elsewhere.x - 0.005, elsewhere.y - 0.005, elsewhere.x + 0.005,
                       elsewhere.y + 0.005)
    if shapely.dwithin(desa, kec62.loc["62.71.01", "geometry"], bimp.PARENT_REACH_DEG):
        monkeypatch.setattr(bimp, "PARENT_REACH_DEG", 0.0)
    path = _geojson(tmp_path, "desa.geojson", ["62.71.01.1001"], [desa], field="KDEPUM")
    res = import_boundaries(path, "desa", parent="62.71")
    assert res.report.accepted_rows == [1]
    warn = [m for _, _, _, m, lvl in problems(res) if lvl == W and "induknya" in m]
    assert len(warn) == 1 and "62.71.01" in warn[0] and "di dalam 62.71" in warn[0]
