"""Display geometry (geo.regions.display) on the real shared data.

The first run builds the simplified layers into the cache (≈ 15 s: the national kecamatan
layer is the slow one); later runs read them.
"""
from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import MultiPolygon, box

from benchmarks import display as display_bench
from geo.regions import boundaries as regions
from geo.regions import display as D

MB = 1_000_000


def _assert_clean(layer: gpd.GeoDataFrame, level: str) -> None:
    assert list(layer.columns) == D.COLUMNS
    assert layer.crs.to_epsg() == 4326
    geoms = layer.geometry.values
    assert not shapely.is_missing(geoms).any()
    assert not shapely.is_empty(geoms).any()
    assert shapely.is_valid(geoms).all()
    assert (shapely.get_type_id(geoms) == 6).all()  # MultiPolygon
    assert layer["code"].is_unique
    assert layer["code"].is_monotonic_increasing
    assert layer["code"].str.count(r"\.").eq(["provinsi", "kabupaten", "kecamatan", "desa"]
                                            .index(level)).all()
    # Rounded: no coordinate with more than DECIMALS decimals (up to float noise of
    # an unrounded fallback, which the real layers do not need).
    xy = shapely.get_coordinates(geoms)
    assert np.abs(xy - np.round(xy, D.DECIMALS[level])).max() < 1e-9


@pytest.mark.parametrize("level,parent,expected", [
    ("provinsi", None, 38),
    ("kabupaten", None, 514),
    ("kabupaten", "62", 14),
    ("kecamatan", "62", 136),
])
def test_feature_counts(level, parent, expected):
    layer = D.display_layer(level, parent)
    assert len(layer) == expected
    _assert_clean(layer, level)


def test_kecamatan_of_one_kabupaten_and_desa_of_one_kecamatan():
    kec = D.display_layer("kecamatan", "62.01")
    src = regions.boundaries("kecamatan", "62")
    expected = sorted(src.loc[src["parent_code"] == "62.01", "code"])
    assert list(kec["code"]) == expected and len(expected) > 1
    assert (kec["parent_code"] == "62.01").all()
    _assert_clean(kec, "kecamatan")

    desa = D.display_layer("desa", "62.01.01")
    vsrc = regions.boundaries("desa", "62")
    expected = sorted(vsrc.loc[vsrc["parent_code"] == "62.01.01", "code"])
    assert list(desa["code"]) == expected and len(expected) > 1
    _assert_clean(desa, "desa")
    # Any ancestor works as parent: the villages of a kabupaten.
    assert len(D.display_layer("desa", "62.01")) == \
        vsrc["code"].str.startswith("62.01.").sum()


def test_names_and_parents_come_from_the_boundaries():
    layer = D.display_layer("kabupaten", "62")
    src = regions.boundaries("kabupaten", "62").set_index("code")
    assert (layer.set_index("code")["name"] == src.loc[layer["code"], "name"]).all()
    assert (layer["parent_code"] == "62").all()


def test_simplified_and_still_a_coverage():
    """Fewer vertices, area kept, and neighbours share their edges (no new overlaps)."""
    layer = D.display_layer("kecamatan", "62")
    src = regions.boundaries("kecamatan", "62")
    assert D.vertices(layer) < 0.6 * D.vertices(src)
    eq = layer.to_crs(6933)
    area = eq.area.sum()
    overlap = area - shapely.union_all(eq.geometry.values).area
    assert overlap / area < 1e-4  # the source overlaps in slivers; the display layer not
    assert abs(area / src.to_crs(6933).area.sum() - 1) < 0.01


def test_national_kabupaten_payload_fits_the_map_budget():
    layer = D.display_layer("kabupaten")
    size = D.payload_size("kabupaten")
    assert size <= 3 * MB  # the map HTML budget is 3 MB; aim 1.5–2.5 MB of GeoJSON
    raw = D.payload_bytes(D.geojson_payload(regions.boundaries("kabupaten"), decimals=None))
    assert size < 0.6 * raw
    fc = json.loads(D.geojson_payload(layer))
    assert len(fc["features"]) == 514


def test_geojson_payload_is_compact_and_merges_properties():
    layer = D.display_layer("kecamatan", "62.01")
    props = pd.DataFrame({"code": list(layer["code"])[::-1] + ["99.99.99"],
                          "value": [1.5] + [np.nan] * len(layer),
                          "style": [{"fillColor": "#fff", "weight": np.nan}] * (len(layer) + 1)})
    text = D.geojson_payload(layer, props)
    assert not re.search(r"\s(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", text)  # no whitespace outside strings
    fc = json.loads(text)
    assert fc["type"] == "FeatureCollection"
    feats = {f["properties"]["code"]: f for f in fc["features"]}
    assert list(feats) == list(layer["code"])
    last = layer["code"].iloc[-1]
    assert feats[last]["properties"]["value"] == 1.5
    assert feats[layer["code"].iloc[0]]["properties"]["value"] is None
    assert feats[last]["properties"]["style"] == {"fillColor": "#fff", "weight": None}
    assert feats[last]["properties"]["name"] == layer["name"].iloc[-1]
    numbers = re.findall(r"-?\d+\.(\d+)", json.dumps([f["geometry"] for f in fc["features"]]))
    assert max(len(n) for n in numbers) <= 5


def test_geojson_payload_without_codes_aligns_on_the_index():
    """The hazard overlay passes geometry only, properties on the same index."""
    gdf = gpd.GeoDataFrame(geometry=[box(110, -2, 110.123456789, -1.5), None],
                           index=[10, 3], crs=4326)
    props = pd.DataFrame({"label": ["b", "a"]}, index=[3, 10])
    fc = json.loads(D.geojson_payload(gdf, props))
    assert [f["properties"] for f in fc["features"]] == [{"label": "a"}, {"label": "b"}]
    assert [110.12346, -2.0] in fc["features"][0]["geometry"]["coordinates"][0]
    assert fc["features"][1]["geometry"] is None
    assert json.loads(D.geojson_payload(gdf.iloc[:0])) == {"type": "FeatureCollection",
                                                            "features": []}


def test_name_from_properties_wins():
    layer = D.display_layer("kabupaten", "62").head(1)
    fc = json.loads(D.geojson_payload(layer, pd.DataFrame({"code": layer["code"],
                                                           "name": ["&lt;x&gt;"]})))
    assert fc["features"][0]["properties"]["name"] == "&lt;x&gt;"


def test_never_empty_or_invalid_on_awkward_input():
    """Overlapping squares, an islet, a polygon that rounding collapses, a bow-tie-prone
    thin sliver: every feature comes back valid and non-empty."""
    big = box(0, 0, 1, 1)
    overlapping = box(0.999, 0, 2, 1)  # overlaps its neighbour by a sliver
    islands = MultiPolygon([box(3, 0, 4, 1), box(5, 5, 5.0001, 5.0001)])
    tiny = box(7, 7, 7.000001, 7.000001)  # 0.1 m: rounds to a point at 5 decimals
    thin = box(8, 0, 8.000004, 1)
    source = np.array([big, overlapping, islands, tiny, thin], dtype=object)
    for level in ("kabupaten", "desa"):
        stats = D.BuildStats(level, "test")
        out = D.simplify_polygons(source, level, stats)
        assert len(out) == len(source)
        assert shapely.is_valid(out).all() and not shapely.is_empty(out).any()
        assert (shapely.get_type_id(out) == 6).all()
    # The islet (1e-8 deg²) is dropped from the kabupaten display geometry.
    assert shapely.get_num_geometries(out[2]) == 2  # desa: 1e-8 > (0.0005/10)² → kept
    out = D.simplify_polygons(source, "kabupaten")
    assert shapely.get_num_geometries(out[2]) == 1
    # No overlap left between the two squares.
    assert shapely.intersection(out[0], out[1]).area < 1e-9


def test_drop_small_parts_keeps_the_largest_part():
    geoms = np.array([MultiPolygon([box(0, 0, 1e-4, 1e-4), box(1, 1, 1.0002, 1.0002)]),
                      box(0, 0, 1, 1)], dtype=object)
    out = D.drop_small_parts(geoms, 1.0)
    assert shapely.get_num_geometries(out[0]) == 1
    assert shapely.area(out[0]) == pytest.approx(4e-8)
    assert shapely.equals(out[1], geoms[1])


def test_bad_arguments():
    with pytest.raises(ValueError):
        D.display_layer("dusun")
    with pytest.raises(ValueError):
        D.display_layer("kabupaten", "62.01")  # not an ancestor
    with pytest.raises(ValueError):
        D.display_layer("kecamatan", "sixty-two")


def test_cached_on_disk_and_memoised():
    first = D.display_layer("kabupaten", "62")
    assert D.display_layer("kabupaten", "62") is first
    path = D.unit_path("kabupaten", "id")
    assert path.exists() and path.name.startswith("display-kabupaten-id-")
    D.clear_memo()
    again = D.display_layer("kabupaten", "62")
    assert again is not first
    assert again.geometry.geom_equals_exact(first.geometry, tolerance=0).all()


def test_bench_map_reports_numbers_and_uses_the_render_hook():
    lines = []
    result = display_bench.bench_map([("62.01.01_desa", "62.01.01", "desa")],
                                     render=lambda layer, text: "<html>" + text + "</html>",
                                     out=lines.append)
    case = result["cases"]["62.01.01_desa"]
    assert case["features"] == len(D.display_layer("desa", "62.01.01"))
    assert case["vertices"] <= case["vertices_raw"]
    assert case["geojson_bytes"] < case["geojson_bytes_raw"]
    assert case["html_bytes"] == case["geojson_bytes"] + len("<html></html>")
    assert json.loads(lines[-1])["cases"]["62.01.01_desa"]["features"] == case["features"]


def test_benchmark_command_parses_its_cases():
    args = display_bench.build_parser().parse_args(["--only", "62_kabupaten"])
    assert args.func is display_bench.cmd_bench_map and args.only == "62_kabupaten"
