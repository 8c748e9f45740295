"""Sample hazard zones and Posyandu exposure (Kalimantan Tengah for the real-data parts)."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box

from geo.codes import truncate
from geo.hazards import zones as hazards
from geo.regions.boundaries import boundaries
from geo.sample import generate

PROV = "62"
RANK = {"rendah": 1, "sedang": 2, "tinggi": 3}


@pytest.fixture(scope="module")
def zones():
    return hazards.generate_hazard_zones(PROV, seed=0)


@pytest.fixture(scope="module")
def land():
    return boundaries("provinsi", PROV).geometry.iloc[0]


@pytest.fixture(scope="module")
def posts():
    return generate.generate_posyandu(PROV, seed=0)


# ---------------------------------------------------------------- generated zones

def test_zone_columns_and_values(zones):
    assert list(zones.columns) == ["id", "jenis", "kelas", "sumber", "sampel", "geometry"]
    assert zones.crs.to_epsg() == 4326
    assert set(zones["jenis"]) == {"banjir", "tanah_longsor"}
    assert set(zones["kelas"]) == {"rendah", "sedang", "tinggi"}
    assert (zones["sumber"] == "sampel").all() and zones["sampel"].all()
    assert zones["id"].is_unique
    assert zones.geometry.is_valid.all() and not zones.geometry.is_empty.any()
    assert zones.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).all()


def test_zones_are_on_land(zones, land):
    geoms = np.asarray(zones.geometry.array)
    outside = shapely.area(shapely.difference(geoms, land))
    assert (outside <= 1e-9 + 1e-6 * shapely.area(geoms)).all()


def _zone_key(ids: pd.Series) -> pd.Series:
    return ids.str.rsplit("-", n=1).str[0]


def test_class_rings_do_not_overlap_within_a_zone(zones):
    for _, group in zones.groupby(_zone_key(zones["id"])):
        geoms = group.geometry.to_list()
        for i in range(len(geoms)):
            for j in range(i + 1, len(geoms)):
                assert geoms[i].intersection(geoms[j]).area < 1e-9


def test_classes_are_nested(zones, land):
    """Inland, the edge of the tinggi ring borders sedang, and the edge of the sedang ring
    borders rendah or tinggi (tinggi inside sedang inside rendah)."""
    eps = 1e-5
    coast = land.boundary.buffer(eps)
    checked = 0
    for _, group in zones.groupby(_zone_key(zones["id"])):
        g = dict(zip(group["kelas"], group.geometry))
        if "tinggi" in g:
            edge = g["tinggi"].boundary.difference(coast)
            assert edge.is_empty or edge.difference(g.get("sedang", Point()).buffer(eps)).length \
                < 1e-6 * max(edge.length, 1)
            checked += 1
        if "sedang" in g:
            outer = shapely.union_all([g.get("rendah", Point()), g.get("tinggi", Point())])
            edge = g["sedang"].boundary.difference(coast)
            assert edge.difference(outer.buffer(eps)).length < 1e-6 * max(edge.length, 1)
    assert checked > 0
    # and the areas grow outward: rendah ∪ sedang ∪ tinggi ⊇ sedang ∪ tinggi ⊇ tinggi (by
    # construction of rings this means each zone has all three classes where it is inland)
    per_zone = zones.groupby(_zone_key(zones["id"]))["kelas"].nunique()
    assert (per_zone == 3).mean() > 0.8


def test_flood_and_landslide_zone_counts(zones):
    keys = _zone_key(zones["id"])
    per_type = zones.assign(k=keys).groupby("jenis")["k"].nunique()
    n_flood, n_slide = hazards.ZONES_PROVINCE
    assert per_type["banjir"] <= n_flood and per_type["banjir"] >= n_flood - 1
    assert per_type["tanah_longsor"] <= n_slide and per_type["tanah_longsor"] >= n_slide - 1


def test_deterministic_and_seed_dependent(zones):
    again = hazards.generate_hazard_zones(PROV, seed=0)
    assert list(again["id"]) == list(zones["id"])
    assert all(a.equals_exact(b, 0) for a, b in zip(again.geometry, zones.geometry))
    other = hazards.generate_hazard_zones(PROV, seed=1)
    assert not all(shapely.equals(other.geometry.values[:5], zones.geometry.values[:5]))


def test_sample_hazard_zones_cached(zones, monkeypatch):
    cached = hazards.sample_hazard_zones(PROV, 0)

    def regenerate(*args, **kwargs):
        raise AssertionError("the cached zones must be read, not generated again")

    monkeypatch.setattr(hazards, "generate_hazard_zones", regenerate)
    again = hazards.sample_hazard_zones(PROV, 0)
    assert list(cached["id"]) == list(zones["id"]) == list(again["id"])
    assert all(a.equals_exact(b, 1e-9) for a, b in zip(again.geometry, zones.geometry))
    assert cached["sampel"].all()


def test_unknown_scope():
    with pytest.raises(ValueError):
        hazards.generate_hazard_zones("00")


# ---------------------------------------------------------------- classification

def _hand_made_zones() -> gpd.GeoDataFrame:
    # Overlapping (not ring-shaped) zones, to check the maximum is taken.
    rows = [
        ("a", "banjir", "rendah", box(0, 0, 10, 10)),
        ("b", "banjir", "sedang", box(2, 2, 8, 8)),
        ("c", "banjir", "tinggi", box(4, 4, 6, 6)),
        ("d", "tanah_longsor", "sedang", box(5, 5, 12, 12)),
        ("e", "tanah_longsor", "tinggi", box(20, 20, 21, 21)),
        ("f", "banjir", "rendah", box(9, 9, 11, 11)),
    ]
    df = pd.DataFrame(rows, columns=["id", "jenis", "kelas", "geometry"])
    return gpd.GeoDataFrame(df.assign(sumber="uji", sampel=False), crs="EPSG:4326")


def test_classify_on_hand_made_zones():
    pts = {
        "p_tinggi_and_slide": (5.5, 5.5),   # banjir tinggi (c), longsor sedang (d)
        "p_sedang": (3, 3),                 # banjir sedang (b) + rendah (a)
        "p_rendah": (1, 1),                 # banjir rendah (a)
        "p_slide_only": (11.5, 11.5),       # longsor sedang (d) only
        "p_two_rendah": (10.5, 10.5),       # banjir rendah (f), longsor sedang (d)
        "p_far": (30, 30),                  # nothing
        "p_slide_tinggi": (20.5, 20.5),     # longsor tinggi (e)
    }
    idx = pd.Index([f"x{i}" for i in range(len(pts))])
    posts = gpd.GeoDataFrame({"name": list(pts)}, index=idx,
                             geometry=[Point(xy) for xy in pts.values()], crs="EPSG:4326")
    got = hazards.classify_posyandu(posts, _hand_made_zones())
    assert list(got.columns) == ["hazard_banjir", "hazard_tanah_longsor", "hazard_max"]
    assert got.index.equals(posts.index)
    got = got.set_axis(posts["name"])
    expected = {
        "p_tinggi_and_slide": ("tinggi", "sedang", "tinggi"),
        "p_sedang": ("sedang", None, "sedang"),
        "p_rendah": ("rendah", None, "rendah"),
        "p_slide_only": (None, "sedang", "sedang"),
        "p_two_rendah": ("rendah", "sedang", "sedang"),
        "p_far": (None, None, None),
        "p_slide_tinggi": (None, "tinggi", "tinggi"),
    }
    for name, values in expected.items():
        assert tuple(got.loc[name]) == values, name


def test_classify_empty_inputs(posts):
    empty = _hand_made_zones().iloc[0:0]
    got = hazards.classify_posyandu(posts.head(5), empty)
    assert got.isna().all().all() and len(got) == 5
    got = hazards.classify_posyandu(posts.iloc[0:0], _hand_made_zones())
    assert len(got) == 0


def test_classify_matches_brute_force_on_real_data(posts, zones):
    got = hazards.classify_posyandu(posts, zones)
    # independent reference: one exact test per zone (fine for a test)
    ref = {j: np.zeros(len(posts), dtype=int) for j in hazards.JENIS}
    pts = posts.geometry.values
    for _, z in zones.iterrows():
        hit = shapely.intersects(z.geometry, pts)
        ref[z["jenis"]] = np.maximum(ref[z["jenis"]], np.where(hit, RANK[z["kelas"]], 0))
    names = np.array([None, "rendah", "sedang", "tinggi"], dtype=object)
    for j in hazards.JENIS:
        assert list(got[f"hazard_{j}"]) == list(names[ref[j]])
    assert list(got["hazard_max"]) == list(names[np.maximum(*ref.values())])
    assert got["hazard_max"].notna().any() and got["hazard_max"].isna().any()


def test_exposure_by_region(posts, zones):
    classes = hazards.classify_posyandu(posts, zones)
    located = pd.DataFrame({"kode_desa_lokasi": posts["kode_desa"]}, index=posts.index)
    for level in ("kabupaten", "kecamatan", "desa"):
        table = hazards.exposure_by_region(located, classes, level)
        assert list(table.columns) == ["code", "rendah", "sedang", "tinggi", "tidak_ada", "total"]
        assert table["total"].sum() == len(posts)
        assert (table[["rendah", "sedang", "tinggi", "tidak_ada"]].sum(axis=1)
                == table["total"]).all()
        # reference by plain pandas
        codes = truncate(posts["kode_desa"], level)
        ref = pd.Series(classes["hazard_max"].fillna("tidak_ada").to_numpy(),
                        index=codes.to_numpy()).groupby(level=0).value_counts().unstack(
            fill_value=0)
        t = table.set_index("code")
        for col in ref.columns:
            assert (t[col] == ref[col].reindex(t.index)).all()
        assert set(t.index) == set(codes)


def test_exposure_skips_posts_without_location_and_uses_join_column():
    classes = pd.DataFrame({"hazard_banjir": ["tinggi", None, "rendah"],
                            "hazard_tanah_longsor": [None, None, None],
                            "hazard_max": ["tinggi", None, "rendah"]}, index=[10, 11, 12])
    located = pd.DataFrame({"kode_lokasi": ["62.01.01.2001", "62.01.02", None]},
                           index=[10, 11, 12])
    table = hazards.exposure_by_region(located, classes, "kecamatan").set_index("code")
    assert table.loc["62.01.01", "tinggi"] == 1 and table.loc["62.01.02", "tidak_ada"] == 1
    assert table["total"].sum() == 2


@pytest.mark.slow
def test_national_zones():
    zones = hazards.generate_hazard_zones("nasional", seed=0)
    assert set(zones["id"].str.split("-").str[1]) == set(
        boundaries("provinsi")["code"])
    alone = hazards.generate_hazard_zones(PROV, seed=0)
    part = zones.loc[zones["id"].str.startswith(f"SMPZ-{PROV}-")]
    n_flood, n_slide = hazards.ZONES_NATIONAL
    assert part["id"].str.contains("-B").sum() <= 3 * n_flood
    assert len(alone) > len(part)
