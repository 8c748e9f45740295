"""Spatial join: place every Posyandu in the finest polygon available for its area.

The polygons are the analysis layer of geo.regions (desa where village polygons exist,
else kecamatan). The join is done in bulk: an STRtree bounding-box query for all points
(spatially ordered), then a vectorised exact point-in-polygon test on prepared polygons for
the candidate pairs, the two halves of a large input on two threads — never a loop over
polygons.

Columns added to the Posyandu table:

``kode_lokasi``       code of the polygon the point falls in (or the nearest one)
``tingkat_lokasi``    level of that polygon (``desa`` or ``kecamatan``)
``kode_kecamatan``, ``kode_kabupaten``, ``kode_provinsi``  — its ancestors
``di_luar``           True when the point lies outside every polygon
``jarak_m``           distance in metres to the nearest polygon (0 when inside)
``tumpang_tindih``    True when the point falls in two or more overlapping polygons
``kode_cocok``        declared ``kode_desa`` agrees with the location (NA if none declared)
``kode_agregasi``     desa code used to aggregate indicators (see below)
``status_lokasi``     cocok | kode_berbeda | di_luar_poligon | tanpa_kode | kode_tidak_dikenal

Rules (deterministic, documented in data/README.md):

* Overlap (border slivers, nested villages): when a point is inside several polygons, take
  the one whose code is the declared ``kode_desa`` (or its kecamatan); otherwise the
  smallest polygon by area; remaining ties by the lowest code.
* Outside every polygon: the nearest polygon (geodesic distance to its edge), flagged.
* Neither the declared code nor the location overwrites the other. Indicators are
  aggregated by ``kode_agregasi``: the declared ``kode_desa`` when it is a known Kemendagri
  code, else the desa of the location (or, where only kecamatan polygons exist, the
  location's kecamatan code).
"""
from __future__ import annotations

from dataclasses import dataclass

import os
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from .codes import truncate

_GEOD = Geod(ellps="WGS84")
PARALLEL_MIN = 50_000  # points; below this one thread is faster than starting two
STATUS = ["tanpa_kode", "kode_tidak_dikenal", "di_luar_poligon", "kode_berbeda", "cocok"]


@dataclass
class JoinIndex:
    """Polygons prepared for bulk point-in-polygon queries, with each polygon's ancestors
    precomputed (so a join of 300,000 points does no string work per point)."""
    codes: np.ndarray
    levels: np.ndarray
    geoms: np.ndarray
    area: np.ndarray
    tree: shapely.STRtree
    ancestors: dict[str, pd.Categorical]   # level -> ancestor code of each polygon

    def column(self, values: np.ndarray, poly: np.ndarray) -> pd.Categorical:
        """Per-point column taken from a per-polygon Categorical (no string copies)."""
        return pd.Categorical.from_codes(values.codes[poly], dtype=values.dtype)

    @property
    def size(self) -> int:
        return len(self.codes)


def build_index(layer: gpd.GeoDataFrame | None = None) -> JoinIndex:
    """STRtree plus prepared polygons. The point locators GEOS builds inside prepared
    polygons are created on their second use, so the index is warmed here (twice), not
    during the first join."""
    if layer is None:
        from .regions import analysis_layer
        layer = analysis_layer()
    geoms = np.array(layer.geometry.values, dtype=object)
    tree = shapely.STRtree(geoms)
    shapely.prepare(geoms)
    probe = shapely.point_on_surface(geoms)
    px, py = shapely.get_x(probe), shapely.get_y(probe)
    for _ in range(2):
        shapely.contains_xy(geoms, px, py)
    codes = layer["code"].reset_index(drop=True).astype(object)
    ancestors = {level: pd.Categorical(truncate(codes, level))
                 for level in ("provinsi", "kabupaten", "kecamatan")}
    ancestors["lokasi"] = pd.Categorical(codes)
    ancestors["tingkat"] = pd.Categorical(layer["level"].astype(object))
    return JoinIndex(codes=codes.to_numpy(dtype=object),
                     levels=layer["level"].to_numpy(dtype=object),
                     geoms=geoms, area=shapely.area(geoms), tree=tree, ancestors=ancestors)


def _spatial_order(x: np.ndarray, y: np.ndarray, cell: float = 0.05) -> np.ndarray:
    """Order points cell by cell so neighbouring tests hit the same polygons (cache-friendly)."""
    return np.lexsort((np.floor(y / cell), np.floor(x / cell)))


def _candidates(index: JoinIndex, x: np.ndarray, y: np.ndarray,
                points: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(point, polygon) pairs where the point is inside the polygon: a bounding-box query,
    then one exact test per candidate pair on the prepared polygons. Both release the GIL,
    so large inputs are split in two spatially ordered halves run on two threads."""
    if points is None:
        points = shapely.points(x, y)

    def work(lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        i, j = index.tree.query(points[lo:hi])
        inside = shapely.contains_xy(index.geoms[j], x[lo:hi][i], y[lo:hi][i])
        return i[inside] + lo, j[inside]

    n = len(x)
    if n < PARALLEL_MIN or (os.cpu_count() or 1) < 2:
        return work(0, n)
    with ThreadPoolExecutor(2) as pool:
        (i1, j1), (i2, j2) = pool.map(lambda b: work(*b), [(0, n // 2), (n // 2, n)])
    return np.concatenate([i1, i2]), np.concatenate([j1, j2])


def nearest_with_distance(index: JoinIndex, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest polygon of each point and the geodesic distance (m) to its edge."""
    if len(x) == 0:
        return np.empty(0, dtype=np.intp), np.empty(0)
    pts = shapely.points(x, y)
    i, j = index.tree.query_nearest(pts, all_matches=False)
    nearest = np.empty(len(x), dtype=np.intp)
    nearest[i] = j
    lines = shapely.shortest_line(pts, index.geoms[nearest])
    coords = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    _, _, dist = _GEOD.inv(coords[:, 0, 0], coords[:, 0, 1], coords[:, 1, 0], coords[:, 1, 1])
    return nearest, np.asarray(dist, dtype=float)


def locate(index: JoinIndex, x: np.ndarray, y: np.ndarray,
           declared: np.ndarray | None = None, points: np.ndarray | None = None) -> pd.DataFrame:
    """Core of the join on plain arrays: polygon index, outside flag, distance, overlap.
    ``points`` (optional) are the same locations as shapely Points, to avoid rebuilding them."""
    n = len(x)
    order = _spatial_order(x, y)
    i, j = _candidates(index, x[order], y[order], None if points is None else points[order])
    i = order[i]  # back to input positions
    hits = np.bincount(i, minlength=n)
    if declared is None:
        declared = np.full(n, None, dtype=object)
    if len(i) and hits.max() > 1:
        # Overlap rule: declared code first, then smallest area, then lowest code.
        multi = hits[i] > 1
        dec = declared[i[multi]]
        cand = index.codes[j[multi]]
        is_declared = np.array([c is not None and d is not None and d.startswith(c)
                                for c, d in zip(cand, dec)], dtype=bool)
        key = np.lexsort((cand.astype(str), index.area[j[multi]], ~is_declared, i[multi]))
        mi, mj = i[multi][key], j[multi][key]
        first = np.r_[True, mi[1:] != mi[:-1]]
        single = ~multi
        i = np.concatenate([i[single], mi[first]])
        j = np.concatenate([j[single], mj[first]])
    poly = np.full(n, -1, dtype=np.intp)
    poly[i] = j
    dist = np.zeros(n)
    outside = poly < 0
    if outside.any():
        near, d = nearest_with_distance(index, x[outside], y[outside])
        poly[outside] = near
        dist[outside] = d
    return pd.DataFrame({"poly": poly, "di_luar": outside, "jarak_m": dist,
                         "tumpang_tindih": hits > 1})


def _aggregation_codes(index: JoinIndex, poly: np.ndarray, uniq: pd.Series,
                       dec_idx: np.ndarray, known: np.ndarray) -> pd.Categorical:
    """Categorical of the declared code where known, else the location's code, built from
    integer codes (the declared uniques plus the polygon codes not among them)."""
    declared = np.asarray(uniq, dtype=object)
    dec_u = declared.astype("U13")
    order = np.argsort(dec_u)
    poly_u = index.codes.astype("U13")
    pos = np.minimum(np.searchsorted(dec_u[order], poly_u), max(len(dec_u) - 1, 0))
    found = (dec_u[order][pos] == poly_u) if len(dec_u) else np.zeros(len(poly_u), dtype=bool)
    poly_code = np.empty(len(poly_u), dtype=np.int64)
    poly_code[found] = order[pos[found]]
    poly_code[~found] = len(declared) + np.arange((~found).sum())
    categories = np.concatenate([declared, index.codes[~found]])
    codes = np.where(known, dec_idx, poly_code[poly])
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))


def _member(values: np.ndarray, sorted_codes: np.ndarray) -> np.ndarray:
    """Vectorised membership of fixed-width strings in a sorted array."""
    if len(sorted_codes) == 0:
        return np.zeros(len(values), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_codes, values), len(sorted_codes) - 1)
    return sorted_codes[pos] == values


def join(posyandu: gpd.GeoDataFrame, index: JoinIndex | None = None,
         known_villages: set[str] | None = None) -> gpd.GeoDataFrame:
    """Return a copy of ``posyandu`` with the location columns (see module doc)."""
    if index is None:
        index = build_index()
    if known_villages is None:
        from .regions import village_codes_sorted
        known_sorted = village_codes_sorted()
    else:
        known_sorted = np.sort(np.asarray(list(known_villages), dtype="U13"))
    geoms = np.asarray(posyandu.geometry.values, dtype=object)
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    # Declared codes: string work on the distinct values only.
    declared_col = posyandu["kode_desa"] if "kode_desa" in posyandu \
        else pd.Series(None, index=posyandu.index, dtype=object)
    dec_idx, dec_uniq = pd.factorize(declared_col, use_na_sentinel=True)
    uniq = pd.Series(np.asarray(dec_uniq, dtype=object), dtype=object)
    has_code = dec_idx >= 0
    safe = np.where(has_code, dec_idx, 0)
    dec_full = np.where(has_code, uniq.to_numpy(dtype=object)[safe] if len(uniq) else None, None)
    loc = locate(index, x, y, dec_full, points=geoms)
    poly = loc["poly"].to_numpy()
    out = posyandu.copy()
    kode = index.codes[poly]
    tingkat = index.levels[poly]
    # Code columns are categoricals: 300,000 rows share a few thousand distinct codes.
    for col, key in (("kode_lokasi", "lokasi"), ("tingkat_lokasi", "tingkat"),
                     ("kode_kecamatan", "kecamatan"), ("kode_kabupaten", "kabupaten"),
                     ("kode_provinsi", "provinsi")):
        out[col] = index.column(index.ancestors[key], poly)
    out["di_luar"] = loc["di_luar"].to_numpy()
    out["jarak_m"] = loc["jarak_m"].round(1).to_numpy()
    out["tumpang_tindih"] = loc["tumpang_tindih"].to_numpy()

    uniq_known = _member(np.asarray(uniq, dtype="U13"), known_sorted)
    uniq_kec = np.asarray(uniq, dtype="U13").astype("U8").astype(object)  # kecamatan prefix
    known = has_code & (uniq_known[safe] if len(uniq) else False)
    dec_at_level = np.where(tingkat == "desa", dec_full,
                            uniq_kec[safe] if len(uniq) else None)
    same = dec_at_level == kode
    match = pd.array(np.where(has_code, same, False), dtype="boolean")
    match[~has_code] = pd.NA
    out["kode_cocok"] = match
    out["kode_agregasi"] = _aggregation_codes(index, poly, uniq, dec_idx, known)
    status = np.select(
        [~has_code, has_code & ~known, out["di_luar"].to_numpy(), has_code & ~same],
        [0, 1, 2, 3], default=4)
    out["status_lokasi"] = pd.Categorical.from_codes(status, categories=STATUS)
    return out


def summary(joined: pd.DataFrame) -> dict:
    """Counts of each location status and flag (for reports and the CLI)."""
    return {
        "posyandu": int(len(joined)),
        "status": {k: int(v) for k, v in joined["status_lokasi"].value_counts().items()},
        "di_luar": int(joined["di_luar"].sum()),
        "tumpang_tindih": int(joined["tumpang_tindih"].sum()),
        "tingkat_lokasi": {k: int(v) for k, v in joined["tingkat_lokasi"].value_counts().items()},
    }
