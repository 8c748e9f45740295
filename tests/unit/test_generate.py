"""Sample registry generator, on the real data directory (Kalimantan Tengah for speed).

Expected values are read from the indicator tables here, independently of geo.sample.generate's
own readers; nothing asserted is a number the generator itself produced.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.config import data_path
from geo.regions.boundaries import boundaries, code_list
from geo.registry import schema as registry
from geo.registry import validate
from geo.sample import generate, output, points
from geo.sample import targets as sample_targets

PROV = "62"


def _csv(rel: str) -> pd.DataFrame:
    return pd.read_csv(data_path(rel), dtype=str, keep_default_na=False, na_values=[""])


def _metric(metric: str, level: str, code: str) -> float:
    df = _csv("indicators/posyandu_reported.csv")
    df = df[(df["metric"] == metric) & (df["level"] == level) & (df["code"] == code)]
    return float(df.loc[df["year"].astype(int).idxmax(), "value"])


@pytest.fixture(scope="module")
def kalteng():
    return generate.generate_posyandu(PROV, seed=0)


@pytest.fixture(scope="module")
def kalteng_villages():
    return boundaries("desa", PROV)


# ---------------------------------------------------------------- totals and schema

def test_total_is_the_published_province_total(kalteng):
    assert len(kalteng) == int(_metric("posyandu_total", "province", PROV))


def test_every_village_has_a_posyandu_and_codes_are_real(kalteng):
    listed = code_list("desa")
    listed = set(listed.loc[listed["province_code"] == PROV, "code"])
    assert set(kalteng["kode_desa"]) == listed


def test_columns_and_sample_flag(kalteng):
    assert list(kalteng.columns) == [*registry.COLUMNS, "sampel", "geometry"]
    assert kalteng.crs.to_epsg() == 4326
    assert kalteng["sampel"].all()
    assert (kalteng.geometry.geom_type == "Point").all()
    assert np.allclose(kalteng.geometry.x, kalteng["lon"]) and np.allclose(kalteng.geometry.y,
                                                                           kalteng["lat"])


def test_ids_unique_and_formatted(kalteng):
    assert kalteng["id"].is_unique
    assert kalteng["id"].str.fullmatch(rf"SMP-{PROV}-\d{{6}}").all()
    assert kalteng["nama"].str.fullmatch(r"Posyandu [A-Za-z ]+ \d+").all()
    words = kalteng["nama"].str.extract(r"^Posyandu (.+) \d+$")[0]
    assert set(words) <= set(sample_targets.NAME_WORDS)


def test_dtypes_match_registry_validation(kalteng, tmp_path):
    path = output.write_registry(kalteng, tmp_path / "r.csv")
    read = validate.read(path).data.drop(columns="baris")
    # validation adds where each point comes from: every sample post has its own point
    assert (read.pop("status_titik") == registry.POINT).all()
    assert read.dtypes.to_dict() == kalteng.dtypes.to_dict()


# ---------------------------------------------------------------- location

def test_points_inside_their_own_village_polygon(kalteng, kalteng_villages):
    # Contains on the post's own polygon, not a point-in-polygon join (villages overlap in
    # slivers and a few are nested, so a join may legitimately return a neighbour).
    poly = kalteng_villages.set_index("code").geometry.reindex(kalteng["kode_desa"])
    assert poly.notna().all()
    assert shapely.contains_xy(np.asarray(poly.values), kalteng["lon"].to_numpy(),
                               kalteng["lat"].to_numpy()).all()


def test_coordinates_have_six_decimals(kalteng):
    for col in ("lat", "lon"):
        assert np.allclose(kalteng[col], kalteng[col].round(6), rtol=0, atol=1e-12)


def test_sample_points_on_hand_made_polygons():
    rng = np.random.default_rng(3)
    l_shape = shapely.Polygon([(0, 0), (2, 0), (2, 0.2), (0.2, 0.2), (0.2, 2), (0, 2)])
    islands = shapely.MultiPolygon([shapely.box(i * 10, 0, i * 10 + 0.01, 0.01) for i in range(30)])
    sliver = shapely.Polygon([(0, 0), (1, 0), (1, 1e-7), (0, 0)])       # thinner than 1e-6
    geoms = np.array([l_shape, islands, sliver], dtype=object)
    idx = np.repeat([0, 1, 2], [500, 200, 3])
    x, y, fallback = points.sample_points(geoms, idx, rng)
    inside = shapely.contains_xy(geoms[idx], x, y)
    assert inside[idx < 2].all()
    assert not fallback[idx < 2].any()
    assert fallback[idx == 2].all()            # thin polygon: point_on_surface fallback
    assert np.isfinite(x).all() and np.isfinite(y).all()
    # uniformity check: the L's two arms have equal area, so each gets about half
    arm = (x[idx == 0] > 0.2)
    assert 0.4 < arm.mean() < 0.6


# ---------------------------------------------------------------- attributes

def test_blank_spot_villages_by_regency(kalteng):
    df = _csv("indicators/internet_blankspot_reported.csv")
    df = df[(df["metric"] == "villages_blankspot") & (df["level"] == "regency")
            & df["code"].str.startswith(PROV + ".")]
    df = df[df["year"].astype(int) == df["year"].astype(int).max()]
    expected = df.set_index("code")["value"].astype(int)
    # whole villages: all posts of a village share the flag
    per_village = kalteng.groupby("kode_desa")["internet"].nunique()
    assert (per_village == 1).all()
    blank = kalteng.loc[~kalteng["internet"].astype(bool), "kode_desa"].drop_duplicates()
    got = blank.str[:5].value_counts().reindex(expected.index, fill_value=0)
    assert got.to_dict() == expected.to_dict()
    assert len(blank) == expected.sum()
    total = _csv("indicators/internet_blankspot_reported.csv")
    total = total[(total["metric"] == "villages_blankspot") & (total["code"] == PROV)]
    assert len(blank) == int(total.loc[total["year"].astype(int).idxmax(), "value"])


def _expected_stunting_target(code: str) -> tuple[float, str]:
    wide = _csv("indicators/stunting_province_wide.csv").set_index("province_code")
    for col, survey in (("ssgi2024_pct", "SSGI 2024"), ("ski2023_pct", "SKI 2023"),
                        ("ssgi2022_pct", "SSGI 2022")):
        value = wide.loc[code, col] if code in wide.index else None
        if isinstance(value, str) and value:
            return float(value), survey
    long = _csv("indicators/stunting_province.csv")
    nat = long[long["province_code"] == "00"]
    nat = nat.loc[nat["year"].astype(int).idxmax()]
    return float(nat["stunting_pct"]), nat["survey"]


def test_stunting_targets_follow_survey_order():
    targets = sample_targets.stunting_targets().set_index("province_code")
    assert len(targets) == len(code_list("provinsi"))
    for code in ("62", "11", "13", "93", "95"):
        value, survey = _expected_stunting_target(code)
        assert targets.loc[code, "value"] == pytest.approx(value)
        assert targets.loc[code, "survey"].startswith(survey)
    assert "nasional" in targets.loc["93", "survey"]


def test_stunting_prevalence_reproduced(kalteng):
    value, _ = _expected_stunting_target(PROV)
    counts = kalteng[["balita_sasaran", "balita_ditimbang", "balita_stunting"]].astype(int)
    assert (counts["balita_stunting"] <= counts["balita_ditimbang"]).all()
    assert (counts["balita_ditimbang"] <= counts["balita_sasaran"]).all()
    assert (counts >= 0).all().all()
    prevalence = 100 * counts["balita_stunting"].sum() / counts["balita_ditimbang"].sum()
    assert abs(prevalence - value) < 0.1
    # and it varies between posts and regencies (not a constant share)
    by_reg = kalteng.assign(r=kalteng["kode_desa"].str[:5]).groupby("r")[
        ["balita_stunting", "balita_ditimbang"]].sum()
    assert (by_reg["balita_stunting"] / by_reg["balita_ditimbang"]).std() > 0.005


def test_active_share_and_strata(kalteng):
    share = _metric("posyandu_active_pct", "province", PROV) / 100
    assert int(kalteng["aktif"].sum()) == round(share * len(kalteng))
    assert set(kalteng["strata"]) <= set(registry.STRATA)
    published = {s: _metric(f"posyandu_{s.lower()}", "province", PROV) for s in registry.STRATA}
    total = sum(published.values())
    got = kalteng["strata"].value_counts(normalize=True)
    for s, v in published.items():
        assert abs(got.get(s, 0) - v / total) < 0.04
    assert kalteng.loc[kalteng["aktif"].astype(bool), "strata"].isin(["Purnama", "Mandiri"]).mean() \
        > kalteng.loc[~kalteng["aktif"].astype(bool), "strata"].isin(["Purnama", "Mandiri"]).mean()


def test_kader_counts(kalteng):
    kader = kalteng["jumlah_kader"].astype(int)
    trained = kalteng["kader_terlatih"].astype(int)
    assert (kader >= 1).all() and (trained >= 0).all() and (trained <= kader).all()
    mean = _metric("kader_active", "national", "00") / _metric("posyandu_registered",
                                                                "national", "00")
    assert abs(kader.mean() - mean) < 0.2
    below = (kader < 5).mean()
    assert 0.3 < below < 0.95     # many posts below the 5-kader standard, not all


def test_services(kalteng):
    for col in registry.SERVICES:
        assert kalteng[col].notna().all()
    assert kalteng["layanan_kesehatan"].mean() > 0.9
    for col in registry.SERVICES[1:]:
        assert kalteng[col].mean() < kalteng["layanan_kesehatan"].mean()


def test_balita_scaled_by_regency_population(kalteng):
    pop = _csv("indicators/population_area_2024.csv").set_index("code")["pop_total"].astype(float)
    by_reg = kalteng.assign(r=kalteng["kode_desa"].str[:5]).groupby("r")["balita_sasaran"].sum()
    ratio = by_reg.astype(float) / pop.reindex(by_reg.index)
    # under-five share of population used for scaling, with noise and a floor of 5 per post
    assert ((ratio > 0.05) & (ratio < 0.13)).all()


# ---------------------------------------------------------------- allocation

def test_regency_allocation_sums():
    alloc = sample_targets.posyandu_per_regency()
    national = _metric("posyandu_registered", "national", "00")
    assert alloc["posyandu"].sum() == national
    assert (alloc["posyandu"] >= alloc["villages"]).all()
    villages = code_list("desa")
    assert alloc["villages"].sum() == len(villages)
    per_prov = alloc.groupby("province_code")["posyandu"].sum()
    reported = _csv("indicators/posyandu_reported.csv")
    reported = reported[(reported["metric"] == "posyandu_total") & (reported["level"] == "province")]
    reported = reported.sort_values("year").drop_duplicates("code", keep="last")
    for code, value in zip(reported["code"], reported["value"].astype(int)):
        assert per_prov[code] == value


def test_internet_plan_uses_bps_counts_for_listed_provinces():
    plan = sample_targets.internet_plan()
    df = _csv("indicators/internet_blankspot_reported.csv")
    sig = df[(df["metric"] == "villages_no_cellular_signal") & (df["level"] == "province")]
    sig = sig[sig["year"].astype(int) == sig["year"].astype(int).max()]
    prov_plan = plan[plan["level"] == "provinsi"].set_index("code")["villages"]
    for code, value in zip(sig["code"], sig["value"].astype(int)):
        if code != PROV:            # Kalimantan Tengah uses the complete regency list
            assert prov_plan[code] == value
    assert PROV not in prov_plan.index
    # the national total stays near the published national count
    nat = df[(df["metric"] == "villages_no_cellular_signal") & (df["level"] == "national")]
    nat = int(nat.loc[nat["year"].astype(int).idxmax(), "value"])
    bps_62 = int(sig.loc[sig["code"] == PROV, "value"].iloc[0])
    total = prov_plan.sum() + bps_62
    assert abs(total - nat) / nat < 0.05


# ---------------------------------------------------------------- determinism, cache, output

def test_deterministic_for_a_seed_and_different_across_seeds(kalteng):
    again = generate.generate_posyandu(PROV, seed=0)
    pd.testing.assert_frame_equal(pd.DataFrame(kalteng).drop(columns="geometry"),
                                  pd.DataFrame(again).drop(columns="geometry"))
    other = generate.generate_posyandu(PROV, seed=1)
    assert len(other) == len(kalteng)                # totals are not random
    assert not np.allclose(other["lat"], kalteng["lat"])
    assert not other["kode_desa"].equals(kalteng["kode_desa"])
    assert not other["internet"].equals(kalteng["internet"])


def test_sample_posyandu_is_cached(kalteng, monkeypatch):
    first = generate.sample_posyandu(PROV, 0)
    assert generate._cache_path(PROV, 0).exists()

    def regenerate(*args, **kwargs):
        raise AssertionError("the cached sample must be read, not generated again")

    monkeypatch.setattr(generate, "generate_posyandu", regenerate)
    second = generate.sample_posyandu(PROV, 0)
    pd.testing.assert_frame_equal(pd.DataFrame(first).drop(columns="geometry"),
                                  pd.DataFrame(kalteng).drop(columns="geometry"))
    assert second.dtypes.to_dict() == kalteng.dtypes.to_dict()
    assert second.geometry.equals(kalteng.geometry)


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_round_trip_through_registry_read(kalteng, tmp_path, ext):
    path = output.write_registry(kalteng, tmp_path / f"sampel.{ext}")
    result = validate.read(path)
    assert result.rejected_rows == []
    assert result.problems.empty
    read = pd.DataFrame(result.data).drop(columns=["baris", "geometry"]).reset_index(drop=True)
    assert (read.pop("status_titik") == registry.POINT).all()
    expected = pd.DataFrame(kalteng).drop(columns="geometry").reset_index(drop=True)
    pd.testing.assert_frame_equal(read, expected)


def test_csv_layout(kalteng, tmp_path):
    path = output.write_registry(kalteng.head(20), tmp_path / "s.csv")
    text = path.read_text(encoding="utf-8").splitlines()
    assert text[0].split(",") == [*registry.COLUMNS, "sampel"]
    first = dict(zip(text[0].split(","), text[1].split(",")))
    assert re.fullmatch(r"-?\d+\.\d{6}", first["lat"]) and re.fullmatch(r"\d+\.\d{6}", first["lon"])
    assert first["aktif"] in ("ya", "tidak") and first["sampel"] == "ya"


@pytest.mark.parametrize("ext", ["geojson", "parquet"])
def test_geo_formats(kalteng, tmp_path, ext):
    import geopandas as gpd
    path = output.write_registry(kalteng.head(50), tmp_path / f"s.{ext}")
    back = gpd.read_parquet(path) if ext == "parquet" else gpd.read_file(path)
    assert len(back) == 50 and list(back["id"]) == list(kalteng["id"].head(50))
    assert back["sampel"].all()


def test_unknown_scope_and_extension(kalteng, tmp_path):
    with pytest.raises(ValueError):
        generate.generate_posyandu("99")
    with pytest.raises(ValueError):
        output.write_registry(kalteng.head(2), tmp_path / "x.txt")


def test_demo_main(tmp_path):
    out = tmp_path / "demo.csv"
    result = output.demo_main(PROV, 0, out)
    assert out.exists()
    assert result["posyandu"] == int(_metric("posyandu_total", "province", PROV))
    assert result["sampel"] is True
    assert validate.read(out).rejected_rows == []


# ---------------------------------------------------------------- national (slow)

@pytest.mark.slow
def test_national_sample():
    data = generate.generate_posyandu("nasional", seed=0)
    assert len(data) == int(_metric("posyandu_registered", "national", "00"))
    assert data["id"].is_unique
    assert set(data["kode_desa"]) == set(code_list("desa")["code"])
    # points: own village polygon, else own kecamatan polygon
    desa = boundaries("desa").set_index("code").geometry.reindex(data["kode_desa"])
    has = desa.notna().to_numpy()
    x, y = data["lon"].to_numpy(), data["lat"].to_numpy()
    assert shapely.contains_xy(np.asarray(desa.values)[has], x[has], y[has]).all()
    kec = boundaries("kecamatan").set_index("code").geometry.reindex(
        data.loc[~has, "kode_desa"].str[:8])
    assert kec.notna().all()
    assert shapely.contains_xy(np.asarray(kec.values), x[~has], y[~has]).all()
    # stunting per province
    sums = data.assign(p=data["kode_desa"].str[:2]).groupby("p")[
        ["balita_stunting", "balita_ditimbang"]].sum()
    for code, row in sums.iterrows():
        value, _ = _expected_stunting_target(code)
        assert abs(100 * row["balita_stunting"] / row["balita_ditimbang"] - value) < 0.1
    # a province inside the national set is the same as generated alone
    alone = generate.generate_posyandu(PROV, seed=0)
    part = data.loc[data["kode_desa"].str[:2] == PROV].reset_index(drop=True)
    pd.testing.assert_frame_equal(pd.DataFrame(part).drop(columns="geometry"),
                                  pd.DataFrame(alone).drop(columns="geometry"))


def test_sample_without_village_polygons_places_points_in_kecamatan(tmp_path):
    """After a plain `python -m geo fetch` there are no village polygons: the sample is
    still generated, every point inside its kecamatan."""
    import os
    import subprocess
    import sys

    from geo.config import data_dir
    src = data_dir()
    root = tmp_path / "data"
    (root / "boundaries").mkdir(parents=True)
    for entry in src.iterdir():
        if entry.name != "boundaries":
            (root / entry.name).symlink_to(entry)
    for f in (src / "boundaries").iterdir():
        if "village" not in f.name:
            (root / "boundaries" / f.name).symlink_to(f)
    env = {**os.environ, "PETA_DATA_DIR": str(root), "PETA_CACHE_DIR": str(tmp_path / "c"),
           "PETA_WORKSPACE_DIR": str(tmp_path / "w")}
    code = ("from geo.regions import boundaries as regions\n"
            "from geo.registry import join\n"
            "from geo.sample import generate\n"
            "assert not regions.has_level('desa')\n"
            "g = generate.generate_posyandu('62', 0)\n"
            "j = join.join(g)\n"
            "print(len(g), set(j['tingkat_lokasi']), int(j['di_luar'].sum()))\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, timeout=600)
    assert out.stdout.split() == [str(int(_metric("posyandu_total", "province", PROV))),
                                  "{'kecamatan'}", "0"]
