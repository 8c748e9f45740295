"""Random points inside village polygons for the sample registry: weighted draws without
replacement per group (Gumbel top-k) and vectorised rejection sampling in polygons.
"""
from __future__ import annotations

import numpy as np
import shapely


def _gumbel_top_k(groups: np.ndarray, k_per_group: np.ndarray, weights: np.ndarray,
                  rng: np.random.Generator) -> np.ndarray:
    """Boolean mask choosing exactly ``k_per_group[g]`` items of every group g (integers
    0..G-1), weighted, without replacement (Gumbel top-k)."""
    keys = np.log(np.maximum(weights, 1e-12)) + rng.gumbel(size=len(groups))
    order = np.lexsort((-keys, groups))
    g_sorted = groups[order]
    start = np.r_[0, np.flatnonzero(g_sorted[1:] != g_sorted[:-1]) + 1]
    rank = np.arange(len(groups)) - np.repeat(start, np.diff(np.r_[start, len(groups)]))
    k = np.asarray(k_per_group)[g_sorted]
    chosen = np.zeros(len(groups), dtype=bool)
    chosen[order] = rank < k
    return chosen


# ---------------------------------------------------------------- points

def sample_points(geoms: np.ndarray, index: np.ndarray, rng: np.random.Generator,
                  rounds: int = 8, decimals: int = 6) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Uniform random points inside ``geoms[index[i]]`` for every i (vectorised).

    Each point first picks one part of its (multi)polygon with probability proportional to
    the part's area, then is drawn by rejection sampling in that part's bounding box with
    ``shapely.contains_xy`` on prepared geometries: each round draws ~3 expected hits per
    pending point (more candidates for parts that fill little of their box), keeping the
    first candidate inside. Coordinates are rounded to ``decimals`` *before* the test, so
    the rounded coordinates (what a CSV holds) are inside. Points still pending after
    ``rounds`` get ``point_on_surface`` of the whole polygon (very thin polygons).
    Returns x, y and the fallback mask.
    """
    geoms = np.asarray(geoms, dtype=object)
    index = np.asarray(index, dtype=np.int64)
    n = len(index)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    if n == 0:
        return x, y, np.zeros(0, dtype=bool)
    used, inv = np.unique(index, return_inverse=True)
    parts, owner_geom = shapely.get_parts(geoms[used], return_index=True)
    area = shapely.area(parts)
    # Area-weighted choice of a part for every point (inverse CDF within its polygon).
    cum = np.cumsum(area)
    first_part = np.searchsorted(owner_geom, np.arange(len(used)), side="left")
    last_part = np.searchsorted(owner_geom, np.arange(len(used)), side="right") - 1
    start = np.where(first_part > 0, cum[np.maximum(first_part - 1, 0)], 0.0)
    start[first_part == 0] = 0.0
    end = cum[last_part]
    u = start[inv] + rng.random(n) * (end[inv] - start[inv])
    part = np.clip(np.searchsorted(cum, u, side="right"), first_part[inv], last_part[inv])
    shapely.prepare(parts)
    bounds = shapely.bounds(parts)
    box = (bounds[:, 2] - bounds[:, 0]) * (bounds[:, 3] - bounds[:, 1])
    fill = np.clip(area / np.where(box > 0, box, 1.0), 1e-4, 1.0)
    pending = np.arange(n)
    for _ in range(rounds):
        if pending.size == 0:
            break
        k = np.clip(np.ceil(3.0 / fill[part[pending]]), 1, 400).astype(np.int64)
        owner = np.repeat(pending, k)
        g = part[owner]
        cx = np.round(rng.uniform(bounds[g, 0], bounds[g, 2]), decimals)
        cy = np.round(rng.uniform(bounds[g, 1], bounds[g, 3]), decimals)
        ok = np.flatnonzero(shapely.contains_xy(parts[g], cx, cy))
        if ok.size:
            owners, first = np.unique(owner[ok], return_index=True)
            x[owners] = cx[ok[first]]
            y[owners] = cy[ok[first]]
        pending = pending[np.isnan(x[pending])]
    fallback = np.zeros(n, dtype=bool)
    if pending.size:
        whole = geoms[index[pending]]
        pts = shapely.point_on_surface(whole)
        px, py = shapely.get_x(pts), shapely.get_y(pts)
        rx, ry = np.round(px, decimals), np.round(py, decimals)
        inside = shapely.contains_xy(whole, rx, ry)
        x[pending] = np.where(inside, rx, px)
        y[pending] = np.where(inside, ry, py)
        fallback[pending] = True
    return x, y, fallback
