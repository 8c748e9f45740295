"""The covering problem of site planning: distances on the sphere, which candidate site
covers which demand within a radius (sparse), grouped demand and its weights. Solved by
geo.connectivity.plan (greedy) and geo.connectivity.exact (HiGHS)."""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

EARTH_RADIUS_M = 6_371_008.8     # mean Earth radius (IUGG), metres
WEIGHTS = ("posyandu", "balita")


def haversine_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in metres between points given in degrees (broadcasts)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float))
                              for v in (lon1, lat1, lon2, lat2))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def coverage_pairs(demand_lon, demand_lat, site_lon, site_lat, radius_m: float
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(demand index, site index) of every pair within ``radius_m`` (haversine), sorted by
    demand then site."""
    from sklearn.neighbors import BallTree
    n_d, n_s = len(demand_lon), len(site_lon)
    if n_d == 0 or n_s == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    tree = BallTree(np.radians(np.column_stack([site_lat, site_lon]).astype(float)),
                    metric="haversine")
    found = tree.query_radius(np.radians(np.column_stack([demand_lat, demand_lon])
                                         .astype(float)), r=radius_m / EARTH_RADIUS_M)
    counts = np.fromiter((len(f) for f in found), np.int64, n_d)
    d = np.repeat(np.arange(n_d, dtype=np.int64), counts)
    s = np.concatenate(found).astype(np.int64) if counts.sum() else np.zeros(0, np.int64)
    order = np.lexsort((s, d))
    return d[order], s[order]


@dataclass
class Problem:
    """An MCLP instance reduced for solving (see :func:`build_problem`)."""
    demand: pd.DataFrame          # id, lon, lat, weight (+ any other columns), in input order
    candidates: pd.DataFrame      # site_id, lon, lat (+ others), in input order
    radius_m: float
    existing: pd.DataFrame        # site_id, lon, lat of fixed sites
    covered_by_existing: np.ndarray   # demand index -> existing site position, -1 if none
    reachable: np.ndarray         # demand bool: some candidate reaches it (and not existing)
    useful: np.ndarray            # candidate positions that reach uncovered demand
    groups: np.ndarray            # demand index -> group number (-1: not in the model)
    group_weight: np.ndarray      # weight of each group
    matrix: sparse.csr_matrix     # useful candidate (row) × group (column), 0/1
    pair_demand: np.ndarray       # all (demand, candidate) pairs within the radius
    pair_site: np.ndarray
    seconds_build: float = 0.0

    @property
    def total_weight(self) -> float:
        return float(self.demand["weight"].sum())

    @property
    def existing_weight(self) -> float:
        w = self.demand["weight"].to_numpy(float)
        return float(w[self.covered_by_existing >= 0].sum())


def _weights(demand: pd.DataFrame, weight: str) -> np.ndarray:
    if weight not in WEIGHTS:
        raise ValueError(f"bobot tidak dikenal: {weight} (pilihan: {', '.join(WEIGHTS)})")
    if weight == "posyandu":
        return np.ones(len(demand))
    if "balita_sasaran" not in demand:
        raise ValueError("bobot 'balita' butuh kolom balita_sasaran")
    w = pd.to_numeric(demand["balita_sasaran"], errors="coerce").to_numpy(float)
    return np.where(np.isfinite(w) & (w > 0), w, 0.0)


def build_problem(demand: pd.DataFrame, candidates: pd.DataFrame, radius_m: float, *,
                  weight: str = "posyandu", existing: pd.DataFrame | None = None) -> Problem:
    """Coverage sets and the reduced instance.

    ``demand``: id, lon, lat (and balita_sasaran for ``weight="balita"``);
    ``candidates``: site_id, lon, lat; ``existing``: site_id, lon, lat of fixed sites.
    """
    if not radius_m > 0:
        raise ValueError("radius harus lebih dari 0 km")
    t0 = time.perf_counter()
    demand = demand.reset_index(drop=True).assign(weight=_weights(demand, weight))
    candidates = candidates.reset_index(drop=True)
    if candidates["site_id"].duplicated().any():
        dup = candidates.loc[candidates["site_id"].duplicated(), "site_id"].iloc[0]
        raise ValueError(f"site_id kandidat ganda: {dup}")
    existing = (existing.reset_index(drop=True) if existing is not None
                else pd.DataFrame({"site_id": [], "lon": [], "lat": []}))
    n_d = len(demand)
    dlon, dlat = demand["lon"].to_numpy(float), demand["lat"].to_numpy(float)
    by_existing = np.full(n_d, -1, np.int64)
    if len(existing):
        ed, es = coverage_pairs(dlon, dlat, existing["lon"].to_numpy(float),
                                existing["lat"].to_numpy(float), radius_m)
        # the first existing site (in file order) that reaches each demand point
        first = np.unique(ed, return_index=True)
        by_existing[first[0]] = es[first[1]]
    pd_, ps = coverage_pairs(dlon, dlat, candidates["lon"].to_numpy(float),
                             candidates["lat"].to_numpy(float), radius_m)
    open_ = by_existing < 0
    w = demand["weight"].to_numpy(float)
    keep = open_[pd_] & (w[pd_] > 0)
    kd, ks = pd_[keep], ps[keep]
    reachable = np.zeros(n_d, bool)
    reachable[pd_] = True
    reachable &= open_
    useful = np.unique(ks)
    # Merge demand with identical candidate sets: key = the bytes of its sorted site list.
    groups = np.full(n_d, -1, np.int64)
    keys: dict[bytes, int] = {}
    group_sites: list[np.ndarray] = []
    if len(kd):
        bounds = np.flatnonzero(np.diff(kd)) + 1
        starts = np.concatenate([[0], bounds])
        ends = np.concatenate([bounds, [len(kd)]])
        for a, b in zip(starts, ends):
            sites = ks[a:b]
            g = keys.setdefault(sites.tobytes(), len(keys))
            if g == len(group_sites):
                group_sites.append(sites)
            groups[kd[a]] = g
    n_g = len(group_sites)
    gw = np.zeros(n_g)
    inm = groups >= 0
    np.add.at(gw, groups[inm], w[inm])
    pos = np.full(len(candidates), -1, np.int64)
    pos[useful] = np.arange(len(useful))
    if n_g:
        rows = pos[np.concatenate(group_sites)]
        cols = np.repeat(np.arange(n_g), [len(s) for s in group_sites])
    else:
        rows = cols = np.zeros(0, np.int64)
    matrix = sparse.csr_matrix((np.ones(len(rows), np.int8), (rows, cols)),
                               shape=(len(useful), n_g))
    return Problem(demand, candidates, float(radius_m), existing, by_existing, reachable,
                   useful, groups, gw, matrix, pd_, ps, time.perf_counter() - t0)
