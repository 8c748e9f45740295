"""Upstream polygon paths (JSON rings of [lat, lng] pairs) to clean MultiPolygons: swapped to
[lng, lat], each part made valid, snapped to a 1e-6 degree grid, outer rings counter-clockwise.
"""
from __future__ import annotations

import json

import numpy as np
import shapely

from geo.fetch.sql import GRID, UpstreamFormatError
from geo.geometry import polygon_parts


# --------------------------------------------------------------------------------------
# Geometry
# --------------------------------------------------------------------------------------
def _ring(coords) -> np.ndarray:
    arr = np.asarray(coords, dtype=float)
    if arr.ndim != 2 or arr.shape[1] < 2:
        raise UpstreamFormatError("ring is not a list of [lat, lng] pairs")
    return arr[:, 1::-1]  # [lat, lng] -> [lng, lat]


def path_to_parts(path_json: str) -> list[shapely.Polygon]:
    """Polygon parts of a JSON path (polygon or multipolygon, [lat, lng] order)."""
    if not path_json.strip():
        return []
    data = json.loads(path_json)
    if not data:
        return []
    # depth: polygon = [[[lat,lng],...],...] ; multipolygon = [[[[lat,lng],...]],...]
    probe, depth = data, 0
    while isinstance(probe, list) and probe:
        probe, depth = probe[0], depth + 1
    if depth == 3:
        polygons = [data]
    elif depth == 4:
        polygons = data
    else:
        raise UpstreamFormatError(f"unexpected JSON path nesting depth {depth}")
    parts = []
    for poly in polygons:
        rings = [_ring(r) for r in poly if len(r) >= 3]
        if not rings or len(rings[0]) < 3:
            continue
        parts.append(shapely.Polygon(rings[0], rings[1:]))
    return parts


def to_multipolygon(geom) -> shapely.MultiPolygon | None:
    polys = [p for p in polygon_parts(geom) if not p.is_empty and p.area > 0]
    return shapely.MultiPolygon(polys) if polys else None


def clean_geometry(parts: list[shapely.Polygon]) -> shapely.MultiPolygon | None:
    """Repair, snap to the 1e-6 grid and orient: one valid MultiPolygon (or None)."""
    if not parts:
        return None
    geom = shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]
    if not geom.is_valid:
        fixed = []
        for part in parts:
            fixed.extend(polygon_parts(part if part.is_valid else shapely.make_valid(part)))
        geom = shapely.union_all(fixed) if fixed else None
    if geom is None or geom.is_empty:
        return None
    geom = shapely.set_precision(geom, GRID)
    if not geom.is_valid:
        geom = shapely.set_precision(shapely.make_valid(geom), GRID)
    mp = to_multipolygon(geom)
    if mp is None:
        return None
    mp = shapely.orient_polygons(mp, exterior_cw=False)
    return mp if mp.is_valid else to_multipolygon(shapely.make_valid(mp))
