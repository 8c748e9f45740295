"""Site planning (maximal covering) on real Kalimantan Tengah villages and the sample
registry: known optimum, fixed sites first, coverage within the radius checked by an
independent geodesic, determinism, the offline list and the site importer."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from geo import datasets
from geo.connectivity import offline as connectivity
from geo.connectivity import plan as siteplan
from geo.connectivity.sites import import_sites

# A sphere of the same radius, computed by PROJ (not by geo.connectivity.plan's formula).
SPHERE = Geod(a=siteplan.EARTH_RADIUS_M, b=siteplan.EARTH_RADIUS_M)


def geodesic_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    n = np.broadcast(lon1, lat1, lon2, lat2).shape
    _, _, dist = SPHERE.inv(*(np.broadcast_to(np.asarray(v, float), n)
                              for v in (lon1, lat1, lon2, lat2)))
    return np.asarray(dist)


@pytest.fixture(scope="module")
def villages():
    return connectivity.village_candidates("62")


@pytest.fixture(scope="module")
def offline():
    return connectivity.offline_posyandu(datasets.joined_posyandu(), "62")


@pytest.fixture(scope="module")
def demand(offline):
    return connectivity.demand_from(offline)


def test_haversine_matches_an_independent_geodesic(villages):
    a, b = villages.iloc[:200], villages.iloc[200:400]
    ours = siteplan.haversine_m(a["lon"], a["lat"], b["lon"].to_numpy(), b["lat"].to_numpy())
    assert np.allclose(ours, geodesic_m(a["lon"], a["lat"], b["lon"], b["lat"]), rtol=1e-9,
                       atol=1e-3)
    # metres, not degrees: Palangka Raya to Pangkalan Bun is about 300 km
    assert 2e5 < ours.max() < 8e5


def _two_clusters(villages):
    """Two real villages of Palangka Raya about 8–20 km apart, A < B by code, the midpoint
    M, and 8 demand points on the line A–B: M reaches 6, A and B 4 each."""
    pr = villages.loc[villages["site_id"].str.startswith("62.71.")].reset_index(drop=True)
    d = siteplan.haversine_m(pr["lon"].to_numpy()[:, None], pr["lat"].to_numpy()[:, None],
                             pr["lon"].to_numpy()[None, :], pr["lat"].to_numpy()[None, :])
    i, j = map(int, np.argwhere((d > 8000) & (d < 20000))[0])
    a, b = sorted([pr.iloc[i], pr.iloc[j]], key=lambda r: r["site_id"])
    dist = float(siteplan.haversine_m(a["lon"], a["lat"], b["lon"], b["lat"]))
    ts = np.array([0.0, 0.2, 0.25, 0.3, 0.7, 0.75, 0.8, 1.0])
    dem = pd.DataFrame({"id": [f"P{k}" for k in range(len(ts))],
                        "lon": a["lon"] + ts * (b["lon"] - a["lon"]),
                        "lat": a["lat"] + ts * (b["lat"] - a["lat"]),
                        "balita_sasaran": [10, 1, 1, 1, 1, 1, 1, 10]})
    cand = pd.DataFrame({"site_id": [a["site_id"], "M", b["site_id"]],
                         "lon": [a["lon"], (a["lon"] + b["lon"]) / 2, b["lon"]],
                         "lat": [a["lat"], (a["lat"] + b["lat"]) / 2, b["lat"]]})
    return dem, cand, 0.35 * dist


def test_two_clusters_solved_exactly_where_greedy_is_not_optimal(villages):
    dem, cand, radius_m = _two_clusters(villages)
    greedy = siteplan.plan_sites(dem, cand, 2, radius_m / 1000)
    # greedy takes the midpoint (6) first, then one end (+1): 7 of 8
    assert list(greedy.sites["site_id"]) == ["M", cand["site_id"][0]]
    assert list(greedy.sites["covered_added"]) == [6.0, 1.0]
    assert greedy.summary["covered"] == 7.0
    assert greedy.summary["covered"] >= siteplan.GREEDY_GUARANTEE * 8
    exact = siteplan.plan_sites(dem, cand, 2, radius_m / 1000, method="exact", time_limit=30)
    assert sorted(exact.sites["site_id"]) == sorted([cand["site_id"][0], cand["site_id"][2]])
    assert exact.summary["covered"] == 8.0 and exact.summary["share"] == 1.0
    assert exact.summary["status"] == "optimal" and exact.summary["gap"] == 0.0
    # by balita the ends weigh 10 each: the exact plan is the same, greedy now takes an end
    by_balita = siteplan.plan_sites(dem, cand, 2, radius_m / 1000, weight="balita")
    assert by_balita.summary["covered"] == 26.0 and "M" not in set(by_balita.sites["site_id"])


def test_time_limited_exact_never_claims_optimal(demand, villages):
    big = connectivity.demand_from(connectivity.in_region(datasets.joined_posyandu(), "62"))
    plan = siteplan.plan_sites(big, villages, 50, 10, method="exact", time_limit=0.01)
    greedy = siteplan.plan_sites(big, villages, 50, 10)
    assert plan.summary["method"] == "exact" and plan.summary["status"] != "optimal"
    assert plan.summary["gap"] is None or plan.summary["gap"] > 0
    assert plan.summary["covered"] >= greedy.summary["covered"]


def test_covered_posyandu_are_within_the_radius_and_nothing_reachable_is_missed(demand,
                                                                                villages):
    plan = siteplan.plan_sites(demand, villages, 20, 5)
    cov = plan.covered
    hit = cov["site_id"] != ""
    assert hit.sum() == plan.summary["covered_posyandu"] > 0
    site = plan.sites.set_index("site_id").loc[cov.loc[hit, "site_id"]]
    dist = geodesic_m(cov.loc[hit, "lon"], cov.loc[hit, "lat"], site["lon"], site["lat"])
    assert (dist <= 5000 + 0.5).all()          # 0.5 m: sites are written with 6 decimals
    # an uncovered Posyandu is farther than 5 km from every chosen site
    miss = cov.loc[~hit]
    d = geodesic_m(miss["lon"].to_numpy()[:, None], miss["lat"].to_numpy()[:, None],
                   plan.sites["lon"].to_numpy()[None, :], plan.sites["lat"].to_numpy()[None, :])
    assert (d > 5000 - 0.5).all()
    # each site's addition is what it covers first, in plan order; the curve ends at the share
    first = cov.loc[hit].groupby("site_rank").size()
    assert list(first.reindex(plan.sites["rank"], fill_value=0)) == \
        list(plan.sites["covered_added"].astype(int))
    assert plan.curve["share"].iloc[-1] == pytest.approx(plan.summary["share"])
    assert plan.curve["share"].is_monotonic_increasing
    # demand that no village reaches is kept in the denominator and reported
    assert plan.summary["unreachable"] == int((~cov["reachable"]).sum()) > 0
    assert plan.summary["total_weight"] == len(demand)


def test_fixed_existing_sites_are_counted_first(demand, villages):
    free = siteplan.plan_sites(demand, villages, 10, 5)
    existing = free.sites.iloc[:2][["site_id", "lon", "lat"]].assign(
        site_id=lambda f: "ADA-" + f["site_id"])
    plan = siteplan.plan_sites(demand, villages, 8, 5, existing=existing)
    first_two = free.sites["covered_added"].iloc[:2].sum()
    assert plan.summary["existing_covered"] == first_two
    assert plan.curve["covered"].iloc[0] == first_two
    assert plan.sites["covered_total"].iloc[0] == first_two + plan.sites["covered_added"].iloc[0]
    by_existing = plan.covered.loc[plan.covered["site_existing"]]
    assert len(by_existing) == first_two
    assert set(by_existing["site_id"]) == set(existing["site_id"])
    assert (by_existing["site_rank"] == 0).all()
    # with the two fixed, the next 8 are the rest of the free greedy plan
    assert list(plan.sites["site_id"]) == list(free.sites["site_id"].iloc[2:])


def test_identical_results_across_runs_and_candidate_orders(demand, villages):
    a = siteplan.plan_sites(demand, villages, 30, 7.5, weight="balita")
    shuffled = villages.sample(frac=1.0, random_state=1)
    b = siteplan.plan_sites(demand.sample(frac=1.0, random_state=2), shuffled, 30, 7.5,
                            weight="balita")
    pd.testing.assert_frame_equal(a.sites, b.sites)
    key = ["id", "site_id", "distance_m"]
    pd.testing.assert_frame_equal(a.covered[key].sort_values("id").reset_index(drop=True),
                                  b.covered[key].sort_values("id").reset_index(drop=True))
    assert a.summary["covered"] == b.summary["covered"]


def test_reduction_merges_identical_coverage_and_drops_useless_candidates(demand, villages):
    p = siteplan.build_problem(demand, villages, 5000)
    assert p.matrix.shape[1] < p.reachable.sum()             # merged groups
    assert p.group_weight.sum() == p.reachable.sum()         # weight kept
    assert len(p.useful) < len(villages)                     # villages reaching nothing dropped
    assert np.asarray(p.matrix.sum(axis=1)).min() >= 1


def test_offline_list_of_kalimantan_tengah(offline):
    joined = connectivity.in_region(datasets.joined_posyandu(), "62")
    expected = joined.loc[joined["internet"].astype("boolean") == False]  # noqa: E712
    assert len(offline) == len(expected) > 0
    assert set(offline["id"]) == set(expected["id"])
    assert list(offline.columns) == connectivity.OFFLINE_COLUMNS
    assert offline["kode_desa"].str.startswith("62.").all() and offline["desa"].notna().all()
    # no village-level list is published: unknown, never guessed
    assert offline["desa_blank_spot"].isna().all()
    # Barito Selatan (62.04): 27 blank-spot villages, Diskominfo 2025
    bs = offline.loc[offline["kode_desa"].str.startswith("62.04."), "blankspot_kabupaten"]
    assert (bs == 27).all()


def test_site_importer_names_each_bad_row(tmp_path):
    csv = tmp_path / "kandidat.csv"
    csv.write_text("Daftar calon lokasi BTS\n"
                   "ID;Nama Lokasi;Lintang;Bujur\n"
                   "B1;Menara Satu;-2,21;113,92\n"
                   "B2;Menara Dua;113.95;-2.25\n"
                   "B3;Menara Tiga;2°12'30\" LS;113°54'45\" BT\n"
                   "B4;Menara Empat;abc;113.9\n"
                   "B1;Menara Ganda;-2.3;113.9\n"
                   ";Tanpa ID;-2.4;113.8\n"
                   "B7;Manila;14.6;121.0\n", encoding="utf-8")
    res = import_sites(csv)
    assert list(res.data["site_id"]) == ["B1", "B2", "B3", "S8"]
    assert res.data.loc[1, "lat"] == -2.25 and res.data.loc[1, "lon"] == 113.95
    p = res.report.problems
    rejected = p.loc[p["tingkat"] == "ditolak"]
    assert sorted(rejected["baris"]) == [6, 7, 9]
    assert "tertukar" in " ".join(p.loc[p["baris"] == 4, "pesan"])
    assert "sama dengan baris 3" in " ".join(rejected["pesan"])
    gj = tmp_path / "ada.geojson"
    gj.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nama": "VSAT"},
         "geometry": {"type": "Point", "coordinates": [113.9, -2.2]}},
        {"type": "Feature", "properties": {"nama": "Poligon"},
         "geometry": {"type": "Polygon", "coordinates": [[[113, -2], [114, -2], [114, -3],
                                                           [113, -2]]]}}]}))
    res = import_sites(gj, prefix="E")
    assert list(res.data["site_id"]) == ["E1"] and res.report.rejected_rows == [2]
    bad = tmp_path / "x.pdf"
    bad.write_text("x")
    assert import_sites(bad).report.fatal


def test_cli_plan_sites_columns_and_json_line(tmp_path):
    cand = tmp_path / "kandidat.csv"
    pd.DataFrame({"id": ["K1", "K2"], "lintang": [-2.21, 999], "bujur": [113.92, 113.9]}
                 ).to_csv(cand, index=False)
    out, cov = tmp_path / "situs.csv", tmp_path / "tercakup.csv"
    res = subprocess.run([sys.executable, "-m", "geo", "plan-sites", "--region", "62.71",
                          "--k", "3", "--radius-km", "5", "--out", str(out), "--covered",
                          str(cov), "--candidates", str(cand)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "baris 3" in res.stderr             # the bad candidate row is named
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert list(summary)[:9] == ["demand", "candidates", "k", "radius_km", "covered", "share",
                                 "seconds", "method", "gap"]
    assert summary["gap"] is None and summary["method"] == "greedy"
    assert summary["candidates"] == 1
    sites = pd.read_csv(out, dtype={"site_id": str})
    assert list(sites.columns) == ["rank", "site_id", "lon", "lat", "kode_desa",
                                   "covered_added", "covered_total", "share_total"]
    assert list(sites["site_id"]) == ["K1"]
    covered = pd.read_csv(cov, dtype=str, keep_default_na=False)
    assert len(covered) == summary["demand"]
    assert (covered["site_id"] == "K1").sum() == summary["covered_posyandu"]
    assert (covered["site_id"] == "").sum() == summary["demand"] - summary["covered_posyandu"]
