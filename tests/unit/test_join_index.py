"""The join index's code table, the nearest-edge search and the fast paths of join and
aggregation, on the real Kalimantan Tengah data. Each fast path is checked against a plain
computation (pandas group sums, distances to every polygon, the other input order)."""
from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from geo.codetable import CodeTable
from geo.indicators import registry as indicators
from geo.regions import boundaries as regions
from geo.registry import join, join_index
from geo.sample import generate
from tests.helpers import desa_layer, points

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def layer():
    return regions.analysis_layer(["62"])


@pytest.fixture(scope="module")
def index(layer):
    return join_index.build_index(layer)


@pytest.fixture(scope="module")
def sample():
    return generate.sample_posyandu("62", seed=0)


# ------------------------------------------------------------------ code table

def test_code_table_positions_hierarchy_and_sums():
    villages = regions.village_codes_sorted()
    mine = villages[np.char.startswith(villages, "62.71.")]
    table = CodeTable(np.append(mine, "62.71.01"), villages)
    assert len(table) == len(mine) + 1
    first = mine[0]
    pos = table.positions([first, first + "1", "xx", None])
    assert table.codes[pos[0]] == first
    assert pos[1:].tolist() == [-1, -1, -1]          # never cut to 13 characters
    assert table.is_village[pos[0]] and not table.is_village[table.positions(["62.71.01"])[0]]
    assert table.codes[table.parent_positions("kecamatan")[pos[0]]] == "62.71.01"

    rng = np.random.default_rng(1)
    by_code = rng.integers(0, 50, (3, len(table))).astype(float)
    frame = pd.DataFrame(by_code.T, index=table.codes)
    for level, n in (("kecamatan", 8), ("kabupaten", 5), ("desa", 13)):
        rows, _, codes = table.groups(level)
        deep = frame.iloc[rows]
        expected = deep.groupby(deep.index.str[:n]).sum()
        assert list(codes) == list(expected.index)
        np.testing.assert_array_equal(table.sums(by_code, level), expected.to_numpy().T)
        pick = np.array([0, len(codes) - 1])
        out = np.empty((3, 2))
        table.sums(by_code, level, pick, out=out)
        np.testing.assert_array_equal(out, expected.to_numpy().T[:, pick])
    listed = regions.code_list("desa")["code"]
    kec_codes = table.groups("kecamatan")[2]
    expected_counts = [int(listed.str.startswith(c + ".").sum()) for c in kec_codes]
    assert table.village_counts("kecamatan").tolist() == expected_counts


# ------------------------------------------------------------------ nearest edge

def _outside_points(layer, n=400, seed=3):
    """Random points around Kalimantan Tengah (sea, and land outside the province) that lie
    outside every polygon of the layer."""
    x0, y0, x1, y1 = layer.total_bounds
    rng = np.random.default_rng(seed)
    x = rng.uniform(x0 - 1.0, x1 + 1.0, n)
    y = rng.uniform(y0 - 1.0, y1 + 1.0, n)
    inside = shapely.contains_xy(shapely.union_all(layer.geometry.values), x, y)
    return x[~inside], y[~inside]


@pytest.mark.parametrize("eager", [True, False])
def test_nearest_edge_matches_distance_to_every_polygon(layer, monkeypatch, eager):
    monkeypatch.setattr(join_index, "EAGER_PIECES_VERTICES", 10**12 if eager else 0)
    idx = join_index.build_index(layer)
    assert (idx.piece_tree is not None) is eager
    x, y = _outside_points(layer)
    assert len(x) > 100
    poly, dist = join_index.nearest_with_distance(idx, x, y)
    pts = shapely.points(x, y)
    # Plain check: planar distance to every polygon; the chosen one is a nearest one.
    every = shapely.distance(pts[:, None], idx.geoms[None, :])
    best = every.min(axis=1)
    np.testing.assert_allclose(every[np.arange(len(x)), poly], best, rtol=0, atol=1e-12)
    # and the distance is the geodesic length to that polygon's nearest point.
    line = shapely.get_coordinates(shapely.shortest_line(pts, idx.geoms[poly])).reshape(-1, 2, 2)
    _, _, metres = GEOD.inv(line[:, 0, 0], line[:, 0, 1], line[:, 1, 0], line[:, 1, 1])
    np.testing.assert_allclose(dist, metres, rtol=1e-9, atol=1e-6)
    assert dist.min() > 0 and dist.max() > 50_000   # some points are far out at sea


def test_nearest_edge_tie_goes_to_the_polygon_listed_first():
    layer = desa_layer(["99.01.01.2002", "99.01.01.2001"], [(0, 0, 1, 1), (1, 0, 2, 1)])
    idx = join_index.build_index(layer)
    poly, dist = join_index.nearest_with_distance(idx, np.array([1.0]), np.array([1.5]))
    assert poly.tolist() == [0] and dist[0] == pytest.approx(55_300, rel=0.01)


# ------------------------------------------------------------------ join fast paths

def test_order_check_tells_a_walk_from_a_shuffle():
    rng = np.random.default_rng(0)
    steps = rng.normal(0, 0.005, (20_000, 2)).cumsum(axis=0) + (113.0, -2.0)
    walk = shapely.points(steps)
    assert join_index._is_spatially_ordered(walk)
    assert not join_index._is_spatially_ordered(walk[rng.permutation(len(walk))])


@pytest.mark.parametrize("ordered", [True, False])
def test_join_gives_the_same_answer_with_and_without_the_spatial_sort(index, sample,
                                                                      monkeypatch, ordered):
    reference = join.join(sample, index)
    monkeypatch.setattr(join_index, "_is_spatially_ordered", lambda points: ordered)
    shuffled = sample.sample(frac=1, random_state=7)
    other = join.join(shuffled, index).loc[reference.index]
    for col in ("kode_lokasi", "kode_agregasi", "status_lokasi", "jarak_m", "tumpang_tindih",
                "kode_cocok"):
        pd.testing.assert_series_equal(reference[col].astype(object), other[col].astype(object))


def test_declared_code_with_extra_digits_is_unknown_not_its_prefix(layer, index):
    village = layer.loc[layer["level"] == "desa"].iloc[10]
    p = village.geometry.representative_point()
    out = join.join(points([p.x], [p.y], [village["code"] + "7"]), index).iloc[0]
    assert out["status_lokasi"] == "kode_tidak_dikenal"
    assert out["kode_agregasi"] == village["code"]     # the location, not the bad code
    assert not bool(out["kode_cocok"])


def test_join_keeps_the_input_columns_and_replaces_old_location_columns(index, sample):
    once = join.join(sample.head(50), index)
    twice = join.join(once, index)
    assert list(twice.columns) == list(once.columns)
    assert isinstance(twice, gpd.GeoDataFrame) and twice.crs == sample.crs
    pd.testing.assert_frame_equal(pd.DataFrame(twice.drop(columns="geometry")),
                                  pd.DataFrame(once.drop(columns="geometry")))


# ------------------------------------------------------------------ aggregation fast paths

def test_aggregate_of_join_output_equals_plain_codes_and_threads_agree(index, sample,
                                                                       monkeypatch):
    joined = join.join(sample, index)
    fast = indicators.aggregate(joined)
    plain = joined.assign(kode_agregasi=joined["kode_agregasi"].astype(str))
    slow = indicators.aggregate(plain)
    key = ["indicator", "level", "code"]

    def tidy(long):
        long = long.astype({c: str for c in ("indicator", "code", "level", "period", "source")})
        return long.sort_values(key).reset_index(drop=True)

    pd.testing.assert_frame_equal(tidy(fast), tidy(slow))
    monkeypatch.setattr(indicators, "PARALLEL_MIN", 1)      # sums on two threads
    pd.testing.assert_frame_equal(tidy(indicators.aggregate(joined)), tidy(fast))
    # every region holding a Posyandu has rows, and no other region
    desa = fast.loc[(fast["indicator"] == "posyandu") & (fast["level"] == "desa")]
    assert set(desa["code"].astype(str)) == set(joined["kode_agregasi"].astype(str))
    assert desa["value"].sum() == len(joined)


@pytest.mark.slow
def test_bench_prints_its_timings_and_a_json_last_line():
    out = subprocess.run([sys.executable, "-m", "benchmarks.join", "--posyandu", "20000",
                          "--repeat", "2"], capture_output=True, text=True, check=True,
                         timeout=600)
    lines = out.stdout.strip().splitlines()
    result = json.loads(lines[-1])
    assert {"posyandu", "polygons", "load_s", "join_s", "aggregate_s", "total_s", "floor_s",
            "peak_mb"} <= set(result)
    assert result["posyandu"] == 20000
    assert result["total_s"] == pytest.approx(result["join_s"] + result["aggregate_s"], abs=1e-9)
    assert result["floor_s"] > 0 and result["load_s"] > 0
    assert any(line.startswith("[kecamatan] ulangan 2") for line in lines)


def test_threads_building_the_index_of_one_shared_layer_at_once_do_not_corrupt_it(tmp_path):
    """The warm-up and a visitor's run may build the join index of the same cached layer
    at the same moment (after a save cleared the caches). GEOS prepares a polygon, and
    builds its point locator on the first queries, in place; done by two threads at once
    that corrupted the heap (the app server died with ``malloc(): unaligned tcache chunk``).
    In a child process, so that a crash fails this test instead of ending the run: four
    threads, ten fresh copies of Kalimantan Tengah's villages, the same answers as one
    thread."""
    import subprocess
    import sys
    code = """
import threading
import numpy as np
import shapely
from geo.geometry import prepare_shared
from geo.regions.boundaries import boundaries
layer = boundaries("desa", "62")
for round_ in range(10):
    geoms = shapely.from_wkb(shapely.to_wkb(np.array(layer.geometry.values, dtype=object)))
    probe = shapely.point_on_surface(geoms)
    xy = (shapely.get_x(probe), shapely.get_y(probe))
    answers = []
    def work():
        prepare_shared(geoms, xy)
        answers.append(shapely.contains_xy(geoms, *xy))
    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads: t.start()
    for t in threads: t.join()
    assert len(answers) == 4 and all(a.all() for a in answers), round_
    assert shapely.is_prepared(geoms).all()
print("ok", len(layer))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("ok ") and int(done.stdout.split()[1]) > 1000
