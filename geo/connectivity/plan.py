"""Where to put ``k`` connectivity sites (BTS, VSAT/Starlink, village Wi-Fi) so they reach
the most Posyandu without internet: the maximal covering location problem (MCLP).

* Distances are great-circle (haversine) in metres on a sphere of radius
  :data:`EARTH_RADIUS_M`; a demand point is covered by a site within ``radius_m``.
* Coverage sets are sparse: a scikit-learn ``BallTree(metric="haversine")`` over the
  candidates answers one radius query per demand point, so only pairs within the radius
  are ever built (no dense demand × candidate matrix).
* Fixed sites (existing or already funded) are counted first: the demand they cover is
  covered before any new site is chosen.
* Reduction: demand that no candidate reaches is set aside (it stays in the share's
  denominator), candidates that reach no uncovered demand are dropped, and demand points
  with identical candidate sets are merged into one group with the summed weight.
* Greedy: a deterministic lazy greedy (marginal gains kept in a heap, re-evaluated only
  when they reach the top; ties go to the smaller site id). Coverage is a monotone
  submodular function, so the greedy plan covers at least ``1 − 1/e`` (≈ 63.2 %) of the
  optimum for the same ``k`` (Nemhauser, Wolsey & Fisher 1978); in practice it is far
  closer (see ``benchmarks/siteplan.py``). Greedy plans are nested, so one run to
  ``k`` also gives the coverage curve for every smaller ``k``.
* Exact (optional): the MCLP as a mixed-integer programme solved by HiGHS (``highspy``),
  with a time limit and the greedy plan as the starting solution. The result says
  ``optimal`` only when HiGHS proved it; after a time limit it reports the best plan found
  and the proven gap to the dual bound.

No Streamlit here; the exact solve is geo.connectivity.exact; ``python -m geo plan-sites`` is
the command line (geo.connectivity.cli).
"""
from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.connectivity.coverage import (  # noqa: F401  (public here too)
    EARTH_RADIUS_M,
    WEIGHTS,
    Problem,
    build_problem,
    coverage_pairs,
    haversine_m,
)
from geo.connectivity.exact import ExactResult, exact  # noqa: F401  (public here too)

GREEDY_GUARANTEE = 1 - 1 / np.e  # ≈ 0.632


def _order_keys(ids: pd.Series) -> np.ndarray:
    """Rank of each site id in sorted order (ties broken by id)."""
    text = ids.astype(str).to_numpy()
    order = np.argsort(text, kind="stable")
    rank = np.empty(len(text), np.int64)
    rank[order] = np.arange(len(text))
    return rank


def greedy(problem: Problem, k: int) -> tuple[list[int], list[float]]:
    """Lazy greedy: up to ``k`` candidate positions (into problem.candidates) in the order
    chosen, with the weight each adds. Stops early when nothing more can be covered."""
    m = problem.matrix
    gw = problem.group_weight
    remaining = gw.copy()            # weight of each group not yet covered (0 once covered)
    indptr, indices = m.indptr, m.indices
    tie = _order_keys(problem.candidates["site_id"].iloc[problem.useful])
    gains = np.asarray(m @ gw).ravel() if m.shape[0] else np.zeros(0)
    heap = [(-g, int(tie[r]), r) for r, g in enumerate(gains)]
    heapq.heapify(heap)
    chosen, added = [], []
    while heap and len(chosen) < k:
        neg, t, r = heapq.heappop(heap)
        cols = indices[indptr[r]:indptr[r + 1]]
        g = float(remaining[cols].sum())
        if g <= 0:
            continue
        if heap and (-g, t) > heap[0][:2]:
            heapq.heappush(heap, (-g, t, r))   # stale: someone else may be better now
            continue
        remaining[cols] = 0.0
        chosen.append(int(problem.useful[r]))
        added.append(g)
    return chosen, added


def order_chosen(problem: Problem, chosen: list[int]) -> tuple[list[int], list[float]]:
    """A set of sites in greedy order within the set (largest addition first)."""
    sub = Problem(**{**problem.__dict__})
    keep = np.isin(problem.useful, chosen)
    sub.useful = problem.useful[keep]
    sub.matrix = problem.matrix[np.flatnonzero(keep)]
    order, added = greedy(sub, len(chosen))
    rest = sorted(set(chosen) - set(order),
                  key=lambda c: str(problem.candidates["site_id"].iloc[c]))
    return order + rest, added + [0.0] * len(rest)


@dataclass
class Plan:
    """A plan: chosen sites in order, each demand point with the site covering it, the
    coverage curve and a summary (the JSON line of the command line)."""
    sites: pd.DataFrame
    covered: pd.DataFrame
    curve: pd.DataFrame
    summary: dict = field(default_factory=dict)


SITE_COLUMNS = ["rank", "site_id", "lon", "lat", "kode_desa", "covered_added",
                "covered_total", "share_total"]


def plan_sites(demand: pd.DataFrame, candidates: pd.DataFrame, k: int, radius_km: float, *,
               weight: str = "posyandu", existing: pd.DataFrame | None = None,
               method: str = "greedy", time_limit: float = 60.0,
               problem: Problem | None = None, progress=None) -> Plan:
    """Choose ``k`` sites. ``method`` is "greedy" or "exact" (HiGHS, greedy start).
    ``progress(fraction, text)`` is called between the steps when given."""
    if k < 0:
        raise ValueError("k tidak boleh negatif")
    t0 = time.perf_counter()
    say = progress or (lambda f, s: None)
    say(0.05, "coverage")
    if problem is None:
        problem = build_problem(demand, candidates, radius_km * 1000.0, weight=weight,
                                existing=existing)
    say(0.6, "greedy")
    order, added = greedy(problem, k)
    method_text, gap, status = "greedy", None, None
    if method == "exact":
        say(0.7, "exact")
        res = exact(problem, k, time_limit=time_limit, start=order)
        greedy_w = float(sum(added))
        if res.objective >= greedy_w - 1e-9:
            order, added = order_chosen(problem, res.chosen)
        method_text, gap, status = "exact", res.gap, res.status
    elif method != "greedy":
        raise ValueError(f"metode tidak dikenal: {method}")
    say(0.95, "table")
    plan = assemble(problem, order, added, k, radius_km, weight)
    plan.summary.update({"seconds": round(time.perf_counter() - t0, 3),
                         "method": method_text, "gap": gap})
    if status is not None:
        plan.summary["status"] = status
    say(1.0, "done")
    return plan


def assemble(problem: Problem, order: list[int], added: list[float], k: int,
              radius_km: float, weight: str) -> Plan:
    cand = problem.candidates
    total = problem.total_weight
    base = problem.existing_weight
    cum = base + np.cumsum(added) if added else np.zeros(0)
    share = cum / total if total else np.zeros(len(cum))
    sites = pd.DataFrame({
        "rank": np.arange(1, len(order) + 1),
        "site_id": cand["site_id"].iloc[order].astype(str).to_numpy(),
        "lon": cand["lon"].iloc[order].to_numpy(float).round(6),
        "lat": cand["lat"].iloc[order].to_numpy(float).round(6),
        "kode_desa": (cand["kode_desa"].iloc[order].to_numpy() if "kode_desa" in cand
                      else [None] * len(order)),
        "covered_added": np.asarray(added, float),
        "covered_total": cum,
        "share_total": np.round(share, 6),
    })
    for c in ("nama",):
        if c in cand:
            sites[c] = cand[c].iloc[order].to_numpy()
    # each demand point: the first site in plan order that reaches it (existing first)
    d = problem.demand
    site_of = np.full(len(d), -1, np.int64)
    rank_of = np.zeros(len(d), np.int64)
    pos = np.full(len(cand), np.iinfo(np.int64).max, np.int64)
    pos[np.asarray(order, np.int64)] = np.arange(len(order))
    if len(problem.pair_demand):
        pr = pos[problem.pair_site]
        hit = pr < np.iinfo(np.int64).max
        pdm, prk, pst = problem.pair_demand[hit], pr[hit], problem.pair_site[hit]
        o = np.lexsort((prk, pdm))
        pdm, prk, pst = pdm[o], prk[o], pst[o]
        first = np.unique(pdm, return_index=True)
        site_of[first[0]] = pst[first[1]]
        rank_of[first[0]] = prk[first[1]] + 1
    ex = problem.covered_by_existing
    covered = d.drop(columns=[c for c in ("geometry",) if c in d]).copy()
    ids = np.where(site_of >= 0, cand["site_id"].astype(str).to_numpy()[np.maximum(site_of, 0)],
                   "")
    slon = np.where(site_of >= 0, cand["lon"].to_numpy(float)[np.maximum(site_of, 0)], np.nan)
    slat = np.where(site_of >= 0, cand["lat"].to_numpy(float)[np.maximum(site_of, 0)], np.nan)
    if len(problem.existing):
        e = np.maximum(ex, 0)
        is_ex = ex >= 0
        ids = np.where(is_ex, problem.existing["site_id"].astype(str).to_numpy()[e]
                       if len(problem.existing) else "", ids)
        slon = np.where(is_ex, problem.existing["lon"].to_numpy(float)[e], slon)
        slat = np.where(is_ex, problem.existing["lat"].to_numpy(float)[e], slat)
        rank_of = np.where(is_ex, 0, rank_of)
    covered["site_id"] = ids
    covered["site_rank"] = np.where(ids != "", rank_of, -1)
    covered["site_existing"] = ex >= 0
    dist = haversine_m(covered["lon"], covered["lat"], slon, slat)
    covered["distance_m"] = np.where(ids != "", np.round(dist, 1), np.nan)
    covered["reachable"] = problem.reachable | (ex >= 0)
    curve = pd.DataFrame({"k": np.arange(0, len(order) + 1),
                          "covered": np.concatenate([[base], cum]),
                          "share": np.concatenate([[base / total if total else 0.0], share])})
    n_cov = int((ids != "").sum())
    covered_w = float(cum[-1]) if len(cum) else base
    summary = {
        "demand": int(len(d)), "candidates": int(len(cand)), "k": int(k),
        "radius_km": float(radius_km), "covered": round(covered_w, 3),
        "share": round(covered_w / total, 6) if total else 0.0,
        "seconds": 0.0, "method": "greedy", "gap": None,
        "weight": weight, "total_weight": round(total, 3),
        "covered_posyandu": n_cov, "sites": int(len(order)),
        "existing_sites": int(len(problem.existing)), "existing_covered": round(base, 3),
        "unreachable": int((~covered["reachable"]).sum()),
        "useful_candidates": int(len(problem.useful)),
        "demand_groups": int(problem.matrix.shape[1]),
        "build_seconds": round(problem.seconds_build, 3),
    }
    return Plan(sites, covered, curve, summary)


def curve(problem: Problem, added: list[float]) -> pd.DataFrame:
    """k → covered weight and share for the greedy order (k = 0: fixed sites only)."""
    total = problem.total_weight
    covered = problem.existing_weight + np.concatenate([[0.0], np.cumsum(added)])
    return pd.DataFrame({"k": np.arange(len(covered)), "covered": covered,
                         "share": covered / total if total else np.zeros(len(covered))})
