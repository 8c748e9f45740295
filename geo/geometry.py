"""Geometry helpers shared by the loaders, importers, generators and display layers."""
from __future__ import annotations

import threading

import numpy as np
import shapely

_PREPARE_LOCK = threading.Lock()


def polygon_parts(geom) -> list[shapely.Polygon]:
    """The Polygons inside any geometry (MultiPolygons and collections opened, at any
    depth); lines and points left out; [] for None or empty."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, shapely.Polygon):
        return [geom]
    if isinstance(geom, (shapely.MultiPolygon, shapely.GeometryCollection)):
        return [p for g in geom.geoms for p in polygon_parts(g)]
    return []


def as_multipolygons(geoms) -> np.ndarray:
    """The same geometries with every Polygon wrapped as a one-part MultiPolygon."""
    geoms = np.asarray(geoms, dtype=object).copy()
    single = shapely.get_type_id(geoms) == 3
    if single.any():
        geoms[single] = [shapely.MultiPolygon([g]) for g in geoms[single]]
    return geoms


def prepare_shared(geoms, probe_xy=None) -> None:
    """``shapely.prepare`` for geometry objects that other threads may hold too (a cached
    layer's polygons): GEOS attaches the prepared geometry to the object in place, and two
    threads preparing the same object at once may corrupt memory. GEOS also builds a
    prepared polygon's point locator in place, on its first uses: ``probe_xy`` (x and y,
    one point per geometry) makes those first uses here, so that later point-in-polygon
    queries from any thread only read. One thread at a time; an object already prepared
    is left as it is."""
    with _PREPARE_LOCK:
        shapely.prepare(geoms)
        if probe_xy is not None:
            for _ in range(2):      # the locator is built on the second use
                shapely.contains_xy(geoms, *probe_xy)
