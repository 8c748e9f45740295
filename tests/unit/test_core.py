"""Data core on the real shared data: regions, join, indicators, ranking, registry."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from geo import codes
from geo.config import data_path
from geo.indicators import published
from geo.indicators import registry as indicators
from geo.regions import boundaries as regions
from geo.registry import join, join_index, validate
from geo.registry import schema as registry
from geo.stats import ranking
from tests.helpers import desa_layer, points


@pytest.fixture(scope="module")
def kalteng_villages():
    return regions.boundaries("desa", ["62"])


@pytest.fixture(scope="module")
def kalteng_index():
    # Villages of 62 plus kecamatan polygons elsewhere would be the national layer; for the
    # tests the Kalimantan Tengah village layer is the analysis layer.
    return join_index.build_index(regions.analysis_layer(["62"]))


# ------------------------------------------------------------------ codes and regions

def test_normalize_code_variants():
    assert codes.normalize_code(6271011001) == "62.71.01.1001"
    assert codes.normalize_code("6271011001") == "62.71.01.1001"
    assert codes.normalize_code(6271011001.0) == "62.71.01.1001"
    assert codes.normalize_code(" 62.71.01.1001 ") == "62.71.01.1001"
    assert codes.normalize_code("1110") == "11.10"
    assert codes.normalize_code("62710") is None
    assert codes.normalize_code("abc") is None


def test_code_lists_are_strings_unique_and_parented():
    assert regions.check_code_lists() == []
    reg = regions.code_list("kabupaten")
    assert "11.10" in set(reg["code"])  # would be 11.1 if parsed as a number
    assert len(regions.code_list("desa")) == pd.read_csv(data_path("regions/villages.csv")).shape[0]


def test_boundaries_validated_and_kalteng_districts_from_village_file(kalteng_villages):
    prov = regions.boundaries("provinsi")
    assert len(prov) == 38 and prov["code"].is_unique
    assert shapely.is_valid(prov.geometry.values).all()
    assert set(prov.geometry.geom_type) == {"MultiPolygon"}
    kec62 = regions.boundaries("kecamatan", ["62"])
    assert len(kec62) == 136
    # The Kalimantan Tengah districts come from the file dissolved from the village layer:
    # they cover the villages far better than the coarse national layer.
    src = gpd.read_file(data_path("boundaries/kalteng62_districts.geojson"))
    assert shapely.get_num_coordinates(kec62.geometry.values).sum() == \
        shapely.get_num_coordinates(src.geometry.values).sum()
    assert len(kalteng_villages) == 1571
    assert set(kalteng_villages["parent_code"]) <= set(regions.code_list("kecamatan")["code"])


def test_invalid_geometry_is_repaired_and_reported():
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    fixed, repaired = regions.repair_geometries(np.array([bowtie, shapely.box(0, 0, 1, 1)]))
    assert repaired.tolist() == [True, False]
    assert shapely.is_valid(fixed).all()
    assert fixed[0].geom_type == "MultiPolygon" and fixed[0].area == pytest.approx(0.5)


# ------------------------------------------------------------------ spatial join

def test_points_inside_kalteng_villages_land_in_them(kalteng_villages, kalteng_index):
    rp = shapely.point_on_surface(kalteng_villages.geometry.values)
    pts = points(shapely.get_x(rp), shapely.get_y(rp))
    out = join.join(pts, kalteng_index)
    expected = kalteng_villages["code"].to_numpy()
    wrong = out["kode_lokasi"].to_numpy() != expected
    # Without a declared code only overlap slivers may pick another village, and each of
    # those must be flagged as an overlap.
    assert wrong.sum() <= 0.01 * len(out)
    assert out.loc[wrong, "tumpang_tindih"].all()
    assert not out["di_luar"].any()
    # With the declared code, the overlap rule prefers it: every point lands at home.
    out2 = join.join(points(shapely.get_x(rp), shapely.get_y(rp), list(expected)), kalteng_index)
    assert (out2["kode_lokasi"].to_numpy() == expected).all()
    assert (out2["status_lokasi"] == "cocok").all()


def test_point_at_sea_gets_nearest_region_and_distance(kalteng_index, kalteng_villages):
    lon, lat = 113.2, -3.75  # Java Sea, south of the Kalimantan Tengah coast
    out = join.join(points([lon], [lat]), kalteng_index)
    row = out.iloc[0]
    assert bool(row["di_luar"]) and row["status_lokasi"] == "tanpa_kode"
    # Independent check: distance in UTM 49S to every village, the nearest one.
    tr = Transformer.from_crs(4326, 32749, always_xy=True)
    utm = kalteng_villages.to_crs(32749)
    px, py = tr.transform(lon, lat)
    d = utm.distance(shapely.Point(px, py))
    assert row["kode_lokasi"] == kalteng_villages["code"].iloc[int(d.values.argmin())]
    assert row["jarak_m"] == pytest.approx(float(d.min()), rel=0.01)
    assert row["jarak_m"] > 1000


def test_wrong_kode_desa_is_flagged_not_overwritten(kalteng_villages, kalteng_index):
    a, b = kalteng_villages.iloc[0], kalteng_villages.iloc[500]
    p = a.geometry.representative_point()
    out = join.join(points([p.x], [p.y], [b["code"]]), kalteng_index)
    row = out.iloc[0]
    assert row["kode_desa"] == b["code"]            # declared value kept
    assert row["kode_lokasi"] == a["code"]          # location kept
    assert row["kode_cocok"] is False or row["kode_cocok"] == False  # noqa: E712
    assert row["status_lokasi"] == "kode_berbeda"
    assert row["kode_agregasi"] == b["code"]        # documented rule: known declared code


def test_overlap_rule_is_deterministic():
    layer = desa_layer(["99.01.01.2001", "99.01.01.2002"], [(0, 0, 10, 10), (4, 4, 6, 6)])
    idx = join_index.build_index(layer)
    pts = points([5, 5, 1], [5, 5, 1], ["99.01.01.2001", None, None])
    out = join.join(pts, idx, known_villages=set(layer["code"]))
    assert out["kode_lokasi"].tolist() == ["99.01.01.2001", "99.01.01.2002", "99.01.01.2001"]
    assert out["tumpang_tindih"].tolist() == [True, True, False]


# ------------------------------------------------------------------ indicators

def test_rates_aggregate_from_sums_not_means():
    joined = pd.DataFrame({
        "kode_agregasi": ["62.71.01.1001", "62.71.01.1002"],
        "balita_ditimbang": [10, 100], "balita_stunting": [1, 30],
        "jumlah_kader": [2, 8], "kader_terlatih": [1, 4], "balita_sasaran": [12, 120],
        "internet": [True, False], "aktif": [True, True],
    })
    long = indicators.aggregate(joined)
    row = long.loc[(long["indicator"] == "stunting_registri") & (long["code"] == "62.71.01")].iloc[0]
    assert row["numerator"] == 31 and row["denominator"] == 110
    assert row["value"] == pytest.approx(100 * 31 / 110)
    assert row["value"] != pytest.approx((10 + 30) / 2)
    prov = long.loc[(long["indicator"] == "kader_per_posyandu") & (long["code"] == "62")].iloc[0]
    assert prov["value"] == pytest.approx(5.0)
    k5 = long.loc[(long["indicator"] == "posyandu_kader5_pct") & (long["code"] == "62.71")].iloc[0]
    assert k5["value"] == pytest.approx(50.0)
    per_desa = long.loc[(long["indicator"] == "posyandu_per_desa") & (long["code"] == "62.71.01")].iloc[0]
    n_villages = (regions.code_list("desa")["code"].str.startswith("62.71.01.")).sum()
    assert per_desa["denominator"] == n_villages


def test_unstable_flag_follows_threshold():
    joined = pd.DataFrame({"kode_agregasi": ["62.71.01.1001", "62.71.01.1002"],
                           "balita_ditimbang": [19, 20], "balita_stunting": [2, 2]})
    long = indicators.aggregate(joined, levels=("desa",))
    st = long.loc[long["indicator"] == "stunting_registri"].set_index("code")
    assert bool(st.loc["62.71.01.1001", "unstable"]) is True
    assert bool(st.loc["62.71.01.1002", "unstable"]) is False
    long5 = indicators.aggregate(joined, levels=("desa",), min_denominator=5)
    assert not long5.loc[long5["indicator"] == "stunting_registri", "unstable"].any()


# ------------------------------------------------------------------ ranking

def test_ranking_reproduces_published_ssgi_2022_order():
    long = indicators.published_long()
    names = regions.code_list("provinsi").set_index("code")["name"]
    table = ranking.rank_table(long, "stunting", "provinsi", "SSGI 2022", names=names)
    src = pd.read_csv(data_path("indicators/stunting_province.csv"), dtype=str)
    src = src.loc[(src["survey"] == "SSGI 2022") & (src["province_code"] != "00")]
    expected = src.set_index("province_code")["rank_computed_of_34"].astype(int)
    got = table.set_index("code")["rank"].astype(int)
    assert got.reindex(expected.index).tolist() == expected.tolist()
    assert set(table["of"]) == {34}
    assert ranking.position(table, "53") == (1, 34)       # Nusa Tenggara Timur
    assert ranking.position(table, "64") == (16, 34)      # Kalimantan Timur
    assert ranking.describe(16, 34) == "peringkat 16 dari 34"


def test_ties_share_the_lower_number_and_n_counts_values():
    vals = pd.DataFrame({"code": list("abcde"), "value": [5.0, 7.0, 7.0, np.nan, 1.0]})
    out = ranking.rank_frame(vals, higher_is_worse=True).set_index("code")
    assert out["rank"].to_dict() == {"b": 1, "c": 1, "a": 3, "e": 4}
    assert set(out["of"]) == {4}
    better = ranking.rank_frame(vals, higher_is_worse=False).set_index("code")
    assert better.loc["e", "rank"] == 1 and better.loc["b", "rank"] == 3


def _published_codes(long, period):
    rows = long.loc[(long["indicator"] == "stunting") & (long["level"] == "provinsi")
                    & (long["period"] == period) & long["value"].notna(), "code"]
    return set(rows)


def test_rank_change_reports_papua_split_and_missing_codes():
    long = indicators.published_long()
    provinces = regions.code_list("provinsi")["code"]
    table = ranking.rank_table(long, "stunting", "provinsi", "SKI 2023", compare="SSGI 2022",
                               universe=provinces)
    t = table.set_index("code")
    # Every province is listed, with or without values (38, not 34 or 35).
    assert set(t.index) == set(provinces)
    assert t.loc["94", "rank_prev"] is pd.NA and "pemekaran" in t.loc["94", "catatan"]
    # The old undivided Papua (2022) is not compared with the new one (2023).
    assert "batas wilayah berubah" in t.loc["91", "catatan"]
    assert t.loc["91", "rank"] is pd.NA and pd.isna(t.loc["91", "value_change"])
    # The gaps of SKI 2023 follow the data: a 2022 value but none in 2023 is kept.
    missing_2023 = _published_codes(long, "SSGI 2022") - _published_codes(long, "SKI 2023")
    assert missing_2023, "SKI 2023 should still lack some provinces"
    for code in missing_2023:
        assert "tidak ada nilai pada SKI 2023" in t.loc[code, "catatan"]
        assert t.loc[code, "rank"] is pd.NA
    # Both ranks over the same comparable provinces.
    common = (_published_codes(long, "SSGI 2022") & _published_codes(long, "SKI 2023")) - {"91", "92"}
    ranked = t.loc[t["rank"].notna()]
    assert set(ranked.index) == common
    assert (ranked["of"] == len(common)).all() and (ranked["of_prev"] == len(common)).all()
    assert t.loc["53", "rank_change"] == t.loc["53", "rank_prev"] - t.loc["53", "rank"]
    assert published.old_papua_geography("SSGI 2022") and not published.old_papua_geography("SKI 2023")


def test_rank_comparison_over_common_regions_ssgi_2024_vs_ski_2023():
    """The quoted comparison: SSGI 2024 (13 provinces) against SKI 2023 (35)."""
    long = indicators.published_long()
    table = ranking.rank_table(long, "stunting", "provinsi", "SSGI 2024", compare="SKI 2023",
                               universe=regions.code_list("provinsi")["code"])
    t = table.set_index("code")
    both = t["value"].notna() & t["value_prev"].notna()
    assert (t.loc[both, "of"] == t.loc[both, "of_prev"]).all()
    assert (t.loc[both, "of"] == int(both.sum())).all()
    # Bali is the lowest in both periods: no movement.
    assert t.loc["51", "rank"] == t.loc["51", "of"] and t.loc["51", "rank_change"] == 0
    # Kalimantan Tengah fell from 23.5 % to 22.1 %: -1.4 points, a better (higher) rank number.
    assert t.loc["62", "value_change"] == pytest.approx(-1.4)
    assert t.loc["62", "rank_change"] < 0
    assert ranking.describe_change(t.loc["62", "rank_change"]).startswith("membaik")
    # A region with no value in either period is listed with the reason, never dropped.
    no_value = _published_codes(long, "SSGI 2024") | _published_codes(long, "SKI 2023")
    for code in set(t.index) - no_value:
        assert "maupun" in t.loc[code, "catatan"]
    # Value-change ordering: the largest fall in prevalence first.
    improved = ranking.most_improved(table)
    changes = improved["value_change"].dropna().tolist()
    assert changes == sorted(changes) and improved["value_change"].iloc[0] == min(changes)


def test_rank_words_cannot_be_misread():
    assert ranking.describe_change(3) == "memburuk 3 peringkat"
    assert ranking.describe_change(-2) == "membaik 2 peringkat"
    assert ranking.describe_change(0) == "tetap"
    assert ranking.describe_change(pd.NA) == "–"
    assert ranking.describe_change(-1, "en") == "better by 1 place"


def test_rank_without_comparison_lists_provinces_without_value():
    long = indicators.published_long()
    table = ranking.rank_table(long, "stunting", "provinsi", "SKI 2023",
                               universe=regions.code_list("provinsi")["code"])
    n, missing = ranking.coverage(table)
    published_2023 = _published_codes(long, "SKI 2023")
    assert n == len(published_2023) and set(missing) == set(regions.code_list("provinsi")["code"]) - published_2023
    # Kalimantan Tengah, SKI 2023: one more than the provinces strictly above its value.
    above = (table["value"] > table.set_index("code").loc["62", "value"]).sum()
    assert ranking.position(table, "62") == (above + 1, n)


# ------------------------------------------------------------------ registry validation

def test_every_validation_message_names_its_row():
    rows = pd.DataFrame([
        {"id": "P1", "nama": "Mawar", "kode_desa": "6271011001", "lat": "-2,2", "lon": "113.9",
         "strata": "madya", "jumlah_kader": "5", "internet": "ya"},
        {"id": "P1", "nama": "Dup", "kode_desa": "62.71.01.1001", "lat": -2.2, "lon": 113.9},
        {"id": "P3", "nama": "", "kode_desa": "62.71.01.1001", "lat": -2.2, "lon": 113.9},
        {"id": "P4", "nama": "Jauh", "kode_desa": "62.71.01.1001", "lat": 40.0, "lon": 113.9},
        {"id": "P5", "nama": "Aneh", "kode_desa": "99.99.99.9999", "lat": -2.2, "lon": 113.9,
         "strata": "Super", "jumlah_kader": "-1", "kader_terlatih": "3", "internet": "mungkin"},
    ])
    for col in registry.COLUMNS:
        if col not in rows:
            rows[col] = None
    res = validate.validate(rows)
    p = res.problems
    assert set(p["baris"]) == {3, 4, 5, 6}
    # P4: a point outside Indonesia but a known village code — kept without its point
    assert res.data["id"].tolist() == ["P1", "P4", "P5"]
    assert res.rejected_rows == [3, 4]
    assert "baris 2" in p.loc[p["baris"] == 3, "pesan"].iloc[0]
    p4 = p.loc[p["baris"] == 5].iloc[0]
    assert (p4["kolom"], p4["nilai"], p4["tingkat"]) == ("lat, lon", "40.0; 113.9",
                                                         registry.WARNING)
    assert "titik tidak dipakai" in p4["pesan"] and "koordinat_ditolak" not in p4["pesan"]
    assert res.data.set_index("id").loc["P4", "status_titik"] == registry.POINT_REJECTED
    assert (p.loc[p["baris"] == 6, "tingkat"] == registry.WARNING).all()
    assert set(p.loc[p["baris"] == 6, "kolom"]) == {"kode_desa", "strata", "jumlah_kader",
                                                   "internet"}
    first = res.data.iloc[0]
    assert first["kode_desa"] == "62.71.01.1001" and first["lat"] == pytest.approx(-2.2)
    assert first["strata"] == "Madya" and bool(first["internet"]) is True


def test_cli_rank_matches_published_order():
    out = subprocess.run([sys.executable, "-m", "geo", "rank", "--indicator", "stunting",
                          "--level", "provinsi", "--survey", "SSGI 2022", "--format", "json"],
                         capture_output=True, text=True, check=True)
    rows = {r["code"]: r for r in json.loads(out.stdout)}
    assert rows["53"]["rank"] == 1 and rows["64"]["rank"] == 16 and rows["64"]["of"] == 34
    assert rows["64"]["name"] == "Kalimantan Timur"
    # Provinces created in 2022 have no SSGI 2022 value: listed with the reason.
    assert rows["94"]["rank"] is None and "pemekaran" in rows["94"]["catatan"]


def test_cli_rank_compare_columns_and_quoted_figures():
    out = subprocess.run([sys.executable, "-m", "geo", "rank", "--indicator", "stunting",
                          "--level", "provinsi", "--survey", "SSGI 2024", "--compare", "SKI 2023"],
                         capture_output=True, text=True, check=True)
    table = pd.read_csv(io.StringIO(out.stdout), dtype={"code": str})
    assert list(table.columns) == ["code", "name", "value", "rank", "of", "value_prev", "rank_prev",
                                   "of_prev", "rank_change", "value_change", "rank_all", "of_all",
                                   "ci_low", "ci_high", "rse", "rank_low", "rank_high", "catatan"]
    t = table.set_index("code")
    assert t.loc["51", "rank_change"] == 0
    both = t["value"].notna() & t["value_prev"].notna()
    assert (t.loc[both, "of"] == t.loc[both, "of_prev"]).all()
    assert t.loc["62", "value_change"] == pytest.approx(-1.4)


def test_loader_repairs_and_reports_bad_input(monkeypatch, tmp_path):
    """A data directory with a duplicate code, an unknown code and a self-intersecting
    polygon: the loader keeps what it can, repairs the geometry and reports each finding."""
    import json as _json
    root = tmp_path / "data"
    (root / "regions").mkdir(parents=True)
    (root / "boundaries").mkdir()
    (root / "regions" / "provinces.csv").write_text("code,name\n61,Kalimantan Barat\n62,Kalimantan Tengah\n")
    bowtie = [[[110, -1], [111, 0], [111, -1], [110, 0], [110, -1]]]
    square = [[[112, -2], [113, -2], [113, -1], [112, -1], [112, -2]]]
    feats = [{"type": "Feature", "properties": {"code": c, "name": n, "level": "province"},
              "geometry": {"type": "Polygon", "coordinates": g}}
             for c, n, g in (("61", "Kalbar", bowtie), ("62", "Kalteng", square),
                             ("62", "Kalteng lagi", square), ("99", "Tidak ada", square))]
    (root / "boundaries" / "id_provinces_38.geojson").write_text(
        _json.dumps({"type": "FeatureCollection", "features": feats}))
    monkeypatch.setenv("PETA_DATA_DIR", str(root))
    monkeypatch.setenv("PETA_CACHE_DIR", str(tmp_path / "cache"))
    prov = regions.boundaries("provinsi")
    assert prov["code"].tolist() == ["61", "62", "99"]
    assert prov.set_index("code").loc["62", "name"] == "Kalimantan Tengah"  # official name
    assert shapely.is_valid(prov.geometry.values).all()
    found = {(p.code, p.problem) for p in regions.load_problems("provinsi")}
    assert found == {("61", "geometri tidak valid"), ("62", "kode ganda pada batas wilayah"),
                     ("99", "kode tidak ada di daftar kode Kemendagri")}


def test_regions_without_posyandu_have_no_value_not_zero(kalteng_villages, kalteng_index):
    """A partial registry (two posts) must not turn every other region into a 0."""
    a, b = kalteng_villages.iloc[3], kalteng_villages.iloc[900]
    pa, pb = a.geometry.representative_point(), b.geometry.representative_point()
    joined = join.join(points([pa.x, pb.x], [pa.y, pb.y], [a["code"], b["code"]]),
                       kalteng_index)
    long = indicators.aggregate(joined)
    desa = long.loc[(long["indicator"] == "posyandu") & (long["level"] == "desa")]
    assert sorted(desa["code"].astype(str)) == sorted([a["code"], b["code"]])
    assert desa["value"].tolist() == [1.0, 1.0]
