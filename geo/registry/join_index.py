"""The join index: the analysis-layer polygons prepared for locating many points at once.

The polygons are the analysis layer of geo.regions.boundaries (desa where village polygons exist,
else kecamatan). The join is done in bulk: an STRtree bounding-box query for all points,
then a vectorised exact point-in-polygon test on prepared polygons for the candidate pairs,
a large input split over two threads — never a loop over polygons. Input that is not
already in spatial order (a registry listed by village code is) is sorted cell by cell
first, so that neighbouring tests hit the same polygons.

``locate`` gives, for each point, the polygon it lies in and applies the geometric rules
(geo.registry.join applies the Posyandu rules on top):

* Overlap (border slivers, nested villages): when a point is inside several polygons, take
  the one ``prefer`` names (geo.registry.join: the declared code); otherwise the smallest polygon
  by area; remaining ties by the lowest code.
* Outside every polygon: the nearest polygon (geodesic distance to its edge), flagged;
  two polygons at the same distance (a shared edge): the one listed first in the layer.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from geo.codes import LEVELS, truncate
from geo.codetable import CodeTable
from geo.geometry import prepare_shared

_GEOD = Geod(ellps="WGS84")
PARALLEL_MIN = 50_000  # points; below this one thread is faster than starting two
EDGE_SEGMENTS = 8      # boundaries near outside points are cut into pieces of this many segments
ORDER_CELL = 0.05      # degrees; cell size of the spatial sort
NEAREST_WINDOW = 0.002  # degrees; first half-width of the nearest-edge search window
NEAREST_PARALLEL_MIN = 2_000  # outside points; below this one thread
EAGER_PIECES_VERTICES = 2_000_000  # layers up to this size have their boundaries cut up front


@dataclass
class JoinIndex:
    """Polygons prepared for bulk point-in-polygon queries, with each polygon's ancestors
    and code-table position precomputed (so a join of 300,000 points does no string work
    per point)."""
    codes: np.ndarray
    is_desa: np.ndarray                    # polygon is a desa (else a kecamatan)
    geoms: np.ndarray
    area: np.ndarray
    tree: shapely.STRtree
    ancestors: dict[str, pd.Categorical]   # level -> ancestor code of each polygon
    table: CodeTable                       # Kemendagri villages + polygon codes
    poly_pos: np.ndarray                   # position of each polygon's code in ``table``
    pieces: np.ndarray                     # boundary pieces per polygon, cut when first needed
    piece_tree: _Edges | None = None     # small layers: all boundary pieces, indexed

    def column(self, values: pd.Categorical, poly: np.ndarray) -> pd.Categorical:
        """Per-point column taken from a per-polygon Categorical (no string copies)."""
        return pd.Categorical.from_codes(values.codes[poly], dtype=values.dtype)

    @property
    def size(self) -> int:
        return len(self.codes)

    def with_villages(self, villages: np.ndarray) -> tuple[CodeTable, np.ndarray]:
        """A code table for another list of known villages, and the polygons' positions."""
        table = CodeTable(np.concatenate([villages, self.codes.astype(str)]), villages)
        return table, table.positions(self.codes)


def boundary_pieces(geoms: np.ndarray, segments: int | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Every ring of every polygon cut into LineStrings of at most ``segments`` segments,
    and the polygon each piece belongs to. The nearest piece to a point outside all polygons
    gives its nearest polygon and distance without measuring whole coastlines."""
    segments = segments or EDGE_SEGMENTS
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = [shapely.get_exterior_ring(parts)], [np.arange(len(parts))]
    n_holes = shapely.get_num_interior_rings(parts)
    for k in range(int(n_holes.max()) if len(parts) else 0):
        has = np.flatnonzero(n_holes > k)
        rings.append(shapely.get_interior_ring(parts[has], k))
        ring_part.append(has)
    rings, ring_part = np.concatenate(rings), np.concatenate(ring_part)
    coords, ring_of_vertex = shapely.get_coordinates(rings, return_index=True)
    n_vertex = np.bincount(ring_of_vertex, minlength=len(rings))
    n_seg = np.maximum(n_vertex - 1, 1)
    n_piece = -(-n_seg // segments)
    ring = np.repeat(np.arange(len(rings)), n_piece)
    k = np.arange(len(ring)) - np.repeat(np.cumsum(n_piece) - n_piece, n_piece)
    first = k * segments
    last = np.minimum(first + segments, n_seg[ring])           # inclusive vertex index
    n_pts = last - first + 1
    start = (np.cumsum(n_vertex) - n_vertex)[ring] + first
    vertex = np.repeat(start - (np.cumsum(n_pts) - n_pts), n_pts) + np.arange(n_pts.sum())
    pieces = shapely.linestrings(coords[vertex], indices=np.repeat(np.arange(len(n_pts)), n_pts))
    return pieces, part_of[ring_part[ring]]


def build_index(layer: gpd.GeoDataFrame | None = None) -> JoinIndex:
    """STRtree plus prepared polygons, the code table with its hierarchy, and (for a small
    layer) all boundary pieces. The point locators GEOS builds inside prepared polygons are
    created on their second use, so the index is warmed here (twice), not during the first
    join."""
    from geo.regions.boundaries import village_codes_sorted
    if layer is None:
        from geo.regions.boundaries import analysis_layer
        layer = analysis_layer()
    geoms = np.array(layer.geometry.values, dtype=object)
    tree = shapely.STRtree(geoms)
    probe = shapely.point_on_surface(geoms)
    # the layer's own polygon objects (cached, shared by every thread): prepared and their
    # point locators built under one lock (two first builds at once corrupted the heap:
    # the warm-up and a visitor's run after a save)
    prepare_shared(geoms, (shapely.get_x(probe), shapely.get_y(probe)))
    codes = layer["code"].reset_index(drop=True).astype(object)
    ancestors = {level: pd.Categorical(truncate(codes, level))
                 for level in ("provinsi", "kabupaten", "kecamatan")}
    ancestors["lokasi"] = pd.Categorical(codes)
    ancestors["tingkat"] = pd.Categorical(layer["level"].astype(object))
    villages = village_codes_sorted()
    table = CodeTable(np.concatenate([villages, codes.to_numpy(dtype=str)]), villages)
    table.parent_positions("kecamatan")
    for level in LEVELS:  # the hierarchy is part of the index: built now, not per join
        table.groups(level)
        table.village_counts(level)
    table.regions_dtype(LEVELS)
    index = JoinIndex(codes=codes.to_numpy(dtype=object),
                      is_desa=layer["level"].to_numpy(dtype=object) == "desa",
                      geoms=geoms, area=shapely.area(geoms), tree=tree, ancestors=ancestors,
                      table=table, poly_pos=table.positions(codes.to_numpy(dtype=str)),
                      pieces=np.full(len(geoms), None, dtype=object))
    if shapely.get_num_coordinates(geoms).sum() <= EAGER_PIECES_VERTICES:
        # A small layer has all its boundaries cut and indexed up front.
        index.piece_tree = _Edges.of(*_pieces(index, np.arange(len(geoms))))
    return index


def _is_spatially_ordered(points: np.ndarray, cell: float = ORDER_CELL) -> bool:
    """True when most consecutive points lie within one cell of each other (measured on
    64 evenly spaced runs of 256 points)."""
    n = len(points)
    if n < 1024:
        return True
    starts = np.linspace(0, n - 257, 64).astype(np.int64)
    sample = points[(starts[:, None] + np.arange(257)).ravel()]
    xs, ys = shapely.get_x(sample).reshape(64, 257), shapely.get_y(sample).reshape(64, 257)
    step = np.abs(np.diff(xs, axis=1)) + np.abs(np.diff(ys, axis=1))
    return bool(np.mean(step < cell) > 0.5)


def _spatial_order(points: np.ndarray, cell: float = ORDER_CELL) -> np.ndarray:
    """Order points cell by cell so neighbouring tests hit the same polygons (cache-friendly)."""
    x, y = shapely.get_x(points), shapely.get_y(points)
    return np.lexsort((np.floor(y / cell), np.floor(x / cell)))


def _halves(n: int, minimum: int):
    """Index ranges to run on two threads (one range when small or on one core)."""
    if n < minimum or (os.cpu_count() or 1) < 2:
        return [(0, n)]
    return [(0, n // 2), (n // 2, n)]


def _run(work, ranges):
    if len(ranges) == 1:
        return [work(*ranges[0])]
    with ThreadPoolExecutor(len(ranges)) as pool:
        return list(pool.map(lambda r: work(*r), ranges))


def _candidates(index: JoinIndex, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(point, polygon) pairs where the point is inside the polygon: a bounding-box query,
    then one exact test per candidate pair on the prepared polygons. Both release the GIL,
    so large inputs are split in two halves run on two threads."""
    def work(lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        part = points[lo:hi]
        i, j = index.tree.query(part)
        inside = shapely.contains(index.geoms[j], part[i])
        return i[inside] + lo, j[inside]

    found = _run(work, _halves(len(points), PARALLEL_MIN))
    return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])


def _pieces(index: JoinIndex, polygons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Boundary pieces of ``polygons`` and the polygon of each piece. Pieces are cut the
    first time a polygon is met near an outside point and kept in the index (like the
    point locators GEOS keeps inside prepared polygons)."""
    cache = index.pieces
    missing = polygons[[cache[k] is None for k in polygons]]
    if len(missing):
        cut, owner = boundary_pieces(index.geoms[missing])
        order = np.argsort(owner, kind="stable")   # holes come after all outer rings
        cut, owner = cut[order], owner[order]
        bounds = np.searchsorted(owner, np.arange(len(missing) + 1))
        for k, poly in enumerate(missing):
            cache[poly] = cut[bounds[k]:bounds[k + 1]]
    parts = [cache[k] for k in polygons]
    sizes = np.fromiter((len(p) for p in parts), dtype=np.intp, count=len(parts))
    pieces = np.concatenate(parts) if parts else np.empty(0, dtype=object)
    return pieces, np.repeat(polygons, sizes)


@dataclass
class _Edges:
    """Boundary pieces, the polygon of each, and an STRtree over them."""
    pieces: np.ndarray
    owner: np.ndarray
    tree: shapely.STRtree

    @classmethod
    def of(cls, pieces: np.ndarray, owner: np.ndarray) -> _Edges:
        return cls(pieces, owner, shapely.STRtree(pieces))


def nearest_with_distance(index: JoinIndex, x: np.ndarray, y: np.ndarray
                          ) -> tuple[np.ndarray, np.ndarray]:
    """Nearest polygon of each point and the geodesic distance (m) to its edge.

    The nearest edge is searched in a window around each point that grows eight times until
    it holds an edge no farther than the window's half-width (then nothing outside the
    window can be nearer), among short pieces of the boundaries met by the windows, so no
    whole coastline is measured; ties go to the polygon listed first. Many points are
    split over two threads."""
    n = len(x)
    polygon = np.full(n, -1, dtype=np.intp)
    dist = np.full(n, np.nan)
    if n == 0 or index.size == 0:
        return polygon, dist

    def work(lo: int, hi: int) -> None:
        px, py = x[lo:hi], y[lo:hi]
        pts = shapely.points(px, py)
        piece_of = np.empty(hi - lo, dtype=object)
        todo, r = np.arange(hi - lo), NEAREST_WINDOW
        while len(todo):
            last = r > 90                      # the window covers the globe
            tx, ty = px[todo], py[todo]
            windows = shapely.box(tx - r, ty - r, tx + r, ty + r)
            if index.piece_tree is not None:
                edges = index.piece_tree
            else:
                near = np.arange(index.size) if last else np.unique(index.tree.query(windows)[1])
                edges = _Edges.of(*_pieces(index, near))
            i, j = edges.tree.query(windows)
            d = shapely.distance(pts[todo[i]], edges.pieces[j])
            key = np.lexsort((j, edges.owner[j], d, i))
            i, j, d = i[key], j[key], d[key]
            first = np.r_[True, i[1:] != i[:-1]] if len(i) else np.zeros(0, dtype=bool)
            i, j, d = i[first], j[first], d[first]
            ok = (d <= r) | last
            polygon[lo + todo[i[ok]]] = edges.owner[j[ok]]
            piece_of[todo[i[ok]]] = edges.pieces[j[ok]]
            done = np.zeros(len(todo), dtype=bool)
            done[i[ok]] = True
            todo, r = todo[~done], r * 8
        coords = shapely.get_coordinates(shapely.shortest_line(pts, piece_of)).reshape(-1, 2, 2)
        _, _, d = _GEOD.inv(coords[:, 0, 0], coords[:, 0, 1], coords[:, 1, 0], coords[:, 1, 1])
        dist[lo:hi] = d

    _run(work, _halves(n, NEAREST_PARALLEL_MIN))
    return polygon, dist


@dataclass
class Location:
    """Where each point is: polygon position in the index (the nearest one when outside),
    outside every polygon, distance (m, 0 inside), inside several overlapping polygons."""
    poly: np.ndarray
    outside: np.ndarray
    distance: np.ndarray
    overlap: np.ndarray


def locate(index: JoinIndex, points: np.ndarray, prefer=None) -> Location:
    """Core of the join on shapely Points: polygon index, outside flag, distance, overlap.
    ``prefer(i, j)`` (optional) says, for arrays of point and polygon positions, whether
    polygon j is the one point i declares (only asked for points inside several polygons)."""
    n = len(points)
    if _is_spatially_ordered(points):
        i, j = _candidates(index, points)
    else:
        order = _spatial_order(points)
        i, j = _candidates(index, points[order])
        i = order[i]  # back to input positions
    hits = np.bincount(i, minlength=n)
    if len(i) and hits.max() > 1:
        # Overlap rule: declared code first, then smallest area, then lowest code.
        multi = hits[i] > 1
        mi, mj = i[multi], j[multi]
        declared = prefer(mi, mj) if prefer is not None else np.zeros(len(mi), dtype=bool)
        key = np.lexsort((index.poly_pos[mj], index.area[mj], ~declared, mi))
        mi, mj = mi[key], mj[key]
        first = np.r_[True, mi[1:] != mi[:-1]]
        single = ~multi
        i = np.concatenate([i[single], mi[first]])
        j = np.concatenate([j[single], mj[first]])
    poly = np.full(n, -1, dtype=np.intp)
    poly[i] = j
    dist = np.zeros(n)
    outside = poly < 0
    if outside.any():
        away = points[outside]
        near, d = nearest_with_distance(index, shapely.get_x(away), shapely.get_y(away))
        poly[outside] = near
        dist[outside] = d
    return Location(poly=poly, outside=outside, distance=dist, overlap=hits > 1)
