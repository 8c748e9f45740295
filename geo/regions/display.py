"""Display geometry: simplified polygons for maps, separate from the analysis geometry.

Joins and areas use :func:`geo.regions.boundaries.boundaries` (full polygons); maps draw the layers
returned here. Nothing in this module imports streamlit or folium. ``python -m
benchmarks.display`` measures the layers built here.

Pipeline per *unit* (the whole country for provinsi/kabupaten/kecamatan, one kabupaten
for desa — see ``UNIT_LEVEL``), cached as GeoParquet and memoised in process:

1. ``shapely.coverage_clean`` (GEOS CoverageCleaner, ``gap_width=0``): the source layers
   overlap in thin slivers (data README §1), which is not a valid polygonal coverage.
   Overlaps are given to the neighbour with the longest shared border and shared edges
   are noded so they are vertex-for-vertex identical. Gaps are left as in the source
   (filling gaps made the clean 2.5–8× slower: Jawa Tengah desa 10 s → 84 s).
2. Parts (islands) smaller than ``(tolerance / 10)²`` deg² are dropped, but never the
   largest part of a region. ~11,000 of the 18,700 parts of the kabupaten layer are
   islets below 1e-6 deg² (≈ 110 m square, invisible below zoom ~12) carrying 35 % of its
   vertices; coverage simplification cannot remove them (rings stop at triangles).
3. ``shapely.coverage_simplify`` (topology-preserving Visvalingam–Whyatt over the
   coverage, so neighbours keep shared edges; its tolerance is ≈ the square root of the
   triangle area removed, not a Douglas–Peucker distance).
4. Coordinates rounded (``DECIMALS``, 5 = 1.1 m). Shared vertices round identically, so
   shared edges stay shared; a feature that becomes invalid (3 of 514 kabupaten) is
   repaired with ``make_valid`` (then ``set_precision`` on the grid, then unrounded).
5. Fallbacks, per feature, so no feature is ever empty or invalid: a simplified feature
   that is empty/invalid is replaced by ``simplify(preserve_topology=True)`` of its
   cleaned polygon, then by the cleaned polygon, then by the source polygon. If the
   coverage functions raise for a whole unit, the unit falls back to per-polygon
   ``simplify(preserve_topology=True)`` (shared edges then no longer coincide exactly).

Why clean first — measured on the national kabupaten layer, tolerance 0.01 (source:
155 k vertices, 3.6 MB of GeoJSON, 483 invalid coverage edges, 1,192 km² of overlaps):

* ``simplify_coverage`` on the raw, overlapping layer does not raise, but it only treats
  exactly matching segments as shared: the invalid edges are simplified independently on
  both sides, overlaps grow to 1,264 km² (123 k vertices, 2.7 MB).
* per-polygon ``simplify(preserve_topology=True)`` at 0.01: 107 k vertices, overlaps
  2,979 km² plus new gaps along every border.
* clean + drop islets + coverage simplify (used): 86 k vertices, 1.86 MB; overlaps
  0.03 km²; 12 edges no longer match exactly after rounding (sub-metre); area −0.14 %.
  Cold build 1.2–2.2 s for kabupaten, 7.5–11.5 s for the 7,285 kecamatan (this machine,
  2 shared cores); reading the cached GeoParquet 0.05–0.1 s.

What the sizes mean for the maps (GeoJSON of the display layer, bytes): Indonesia →
provinsi 0.63 MB, → kabupaten 1.86 MB, → kecamatan 7.4 MB (the national kecamatan source
is already coarse, so the tolerance barely bites: draw kecamatan per province, 62 → 0.37
MB); desa of Kalimantan Tengah 2.3 MB, of one kecamatan ≈ 30 kB.
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
import time
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import cache
from geo.codes import LEVELS, PARTS, level_of
from geo.geometry import as_multipolygons, polygon_parts
from geo.regions import boundaries as regions

DISPLAY_VERSION = "2"  # bump when the pipeline below changes: every cached layer is rebuilt
CRS = "EPSG:4326"
COLUMNS = ["code", "name", "parent_code", "geometry"]

# Coverage-simplification tolerance (degrees, 0.01° ≈ 1.1 km) per level.
TOLERANCE = {"provinsi": 0.02, "kabupaten": 0.01, "kecamatan": 0.003, "desa": 0.0005}
# Decimals kept in the coordinates (1e-5° ≈ 1.1 m). 4 decimals would save ~8 % of the
# kabupaten payload but broke 13 of 514 polygons (vs 3) and 31 shared edges (vs 4): kept 5.
DECIMALS = {"provinsi": 5, "kabupaten": 5, "kecamatan": 5, "desa": 5}
# Levels built lazily in pieces, and the level of a piece; the others are built for the
# whole country at once. desa per kabupaten: Jawa Tengah's 8,563 villages take 23 s as
# one piece, a kabupaten 0.4–2 s, and the dashboard draws villages only under one
# kecamatan, so a piece never splits a map (province-wide desa maps get seams of at most
# the tolerance, ~50 m, along kabupaten borders).
UNIT_LEVEL = {"desa": "kabupaten"}


def min_part_area(level: str) -> float:
    """Islands smaller than this (deg²) are dropped from the display polygons."""
    return (TOLERANCE[level] / 10) ** 2


# ---------------------------------------------------------------- building


@dataclass
class BuildStats:
    """What happened while simplifying one unit."""
    level: str
    unit: str
    features: int = 0
    method: str = "coverage"  # "coverage" or "per-polygon" (unit fallback)
    fallback_features: int = 0  # features replaced by a less simplified polygon
    repaired_after_rounding: int = 0
    clean_s: float = 0.0
    simplify_s: float = 0.0
    total_s: float = 0.0


def _polygonal(geom):
    """Polygonal parts of a geometry as a MultiPolygon (None when there are none)."""
    if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon") and not geom.is_empty:
        return geom
    polys = polygon_parts(geom)
    return shapely.MultiPolygon(polys) if polys else None


def _ok(geoms: np.ndarray) -> np.ndarray:
    """Usable display geometry: present, not empty, valid, polygonal."""
    geoms = np.asarray(geoms, dtype=object)
    present = ~shapely.is_missing(geoms)
    ok = present.copy()
    ok[present] = (~shapely.is_empty(geoms[present]) & shapely.is_valid(geoms[present])
                   & np.isin(shapely.get_type_id(geoms[present]), (3, 6)))
    return ok


def drop_small_parts(geoms: np.ndarray, min_area: float) -> np.ndarray:
    """Drop the parts smaller than ``min_area`` of every geometry, keeping its largest part."""
    geoms = np.asarray(geoms, dtype=object)
    parts, index = shapely.get_parts(geoms, return_index=True)
    if len(parts) == 0:
        return geoms.copy()
    area = shapely.area(parts)
    keep = area >= min_area
    # The largest part of each geometry stays.
    order = np.lexsort((-area, index))
    first = np.ones(len(order), dtype=bool)
    first[1:] = index[order][1:] != index[order][:-1]
    keep[order[first]] = True
    out = geoms.copy()
    owners, dense = np.unique(index[keep], return_inverse=True)
    out[owners] = list(shapely.multipolygons(parts[keep], indices=dense))
    return out


def round_coordinates(geoms: np.ndarray, decimals: int) -> np.ndarray:
    """Coordinates rounded to ``decimals`` (exact decimal floats, so the JSON stays short)."""
    return shapely.transform(np.asarray(geoms, dtype=object), lambda xy: np.round(xy, decimals))


def simplify_polygons(source: np.ndarray, level: str, stats: BuildStats | None = None,
                      ) -> np.ndarray:
    """Display polygons of one unit from its analysis polygons (same order, same length)."""
    stats = stats or BuildStats(level, "?")
    tol, decimals = TOLERANCE[level], DECIMALS[level]
    source = np.asarray(source, dtype=object)
    try:
        t = time.perf_counter()
        cleaned = shapely.coverage_clean(source, gap_width=0.0)
        stats.clean_s = time.perf_counter() - t
        cleaned = np.array([_polygonal(g) for g in cleaned], dtype=object)
        # A polygon swallowed by its neighbours (never seen on the real layers) keeps its own.
        bad = ~_ok(cleaned)
        cleaned[bad] = source[bad]
        t = time.perf_counter()
        simplified = shapely.coverage_simplify(drop_small_parts(cleaned, min_part_area(level)), tol)
        stats.simplify_s = time.perf_counter() - t
    except shapely.errors.GEOSException:
        stats.method = "per-polygon"
        cleaned = source
        t = time.perf_counter()
        simplified = shapely.simplify(drop_small_parts(source, min_part_area(level)), tol,
                                      preserve_topology=True)
        stats.simplify_s = time.perf_counter() - t
    simplified = np.array([_polygonal(g) for g in simplified], dtype=object)
    # Per-feature fallbacks: never empty, never invalid.
    bad = ~_ok(simplified)
    if bad.any():
        alt = shapely.simplify(cleaned[bad], tol, preserve_topology=True)
        alt = np.array([_polygonal(g) for g in alt], dtype=object)
        alt_bad = ~_ok(alt)
        alt[alt_bad] = cleaned[bad][alt_bad]
        still = ~_ok(alt)
        alt[still] = source[bad][still]
        simplified[bad] = alt
        stats.fallback_features += int(bad.sum())
    rounded = round_coordinates(simplified, decimals)
    bad = ~_ok(rounded)
    if bad.any():
        stats.repaired_after_rounding += int(bad.sum())
        # make_valid keeps every vertex (neighbours stay edge-matched); set_precision
        # snap-rounds (always valid, may move a shared vertex); else keep it unrounded.
        fixed = np.array([_polygonal(g) for g in shapely.make_valid(rounded[bad])], dtype=object)
        fixed = round_coordinates(fixed, decimals)
        fixed_bad = ~_ok(fixed)
        if fixed_bad.any():
            snapped = shapely.set_precision(simplified[bad][fixed_bad], 10.0 ** -decimals)
            snapped = round_coordinates(np.array([_polygonal(g) for g in snapped], dtype=object),
                                        decimals)
            snapped_bad = ~_ok(snapped)
            snapped[snapped_bad] = simplified[bad][fixed_bad][snapped_bad]
            fixed[fixed_bad] = snapped
        rounded[bad] = fixed
    return as_multipolygons(rounded)


def _units(level: str, parent: str | None) -> list[str]:
    """Build units needed for (level, parent): "id" (whole country) or region codes."""
    unit_level = UNIT_LEVEL.get(level)
    if unit_level is None:
        return ["id"]
    parts = PARTS[unit_level]
    if parent and parent.count(".") + 1 >= parts:
        return [".".join(parent.split(".")[:parts])]
    units = regions.code_list(unit_level)["code"]
    if parent:
        units = units[units.str.startswith(parent + ".")]
    elif level == "desa":
        units = units[units.str[:2].isin(regions.village_provinces())]
    return sorted(units)


def _unit_source(level: str, unit: str) -> gpd.GeoDataFrame:
    if unit == "id":
        return regions.boundaries(level)
    src = regions.boundaries(level, [unit[:2]])
    return src.loc[src["code"].str.startswith(unit + ".")].reset_index(drop=True)


def build_unit(level: str, unit: str) -> tuple[gpd.GeoDataFrame, BuildStats]:
    """Simplify one unit from the analysis boundaries (no cache)."""
    t = time.perf_counter()
    src = _unit_source(level, unit)
    stats = BuildStats(level, unit, features=len(src))
    geoms = simplify_polygons(src.geometry.values, level, stats) if len(src) else \
        np.array([], dtype=object)
    out = gpd.GeoDataFrame(
        {"code": src["code"].values, "name": src["name"].values,
         "parent_code": src["parent_code"].values},
        geometry=gpd.GeoSeries(geoms, crs=CRS), crs=CRS)
    stats.total_s = time.perf_counter() - t
    return out, stats


def _source_hash(level: str) -> str:
    # the validated copy's file name already carries the key of its sources
    return regions.cache_file(level).stem


def unit_path(level: str, unit: str, source_hash: str | None = None):
    """Cache file of one unit; its key names the source boundary cache file (the validated
    GeoParquet copy of geo.regions.boundaries, itself keyed by the data files) and the pipeline."""
    extra = (f"display|{DISPLAY_VERSION}|{level}|{unit}|{TOLERANCE[level]}|{DECIMALS[level]}"
             f"|{min_part_area(level)}|shapely {shapely.__version__}|geos {shapely.geos_version_string}"
             f"|{source_hash or _source_hash(level)}")
    key = hashlib.sha256(extra.encode()).hexdigest()[:16]
    return cache.path(f"display-{level}-{unit}-{key}.parquet")


@functools.lru_cache(maxsize=64)
def _load_unit(path: str, level: str, unit: str) -> gpd.GeoDataFrame:
    from pathlib import Path
    p = Path(path)
    if not p.exists():
        gdf, _ = build_unit(level, unit)
        cache.write_parquet_atomic(gdf, p)
        return gdf
    return gpd.read_parquet(p)


@functools.lru_cache(maxsize=128)
def _layer(level: str, paths: tuple[tuple[str, str], ...], parent: str | None) -> gpd.GeoDataFrame:
    frames = [_load_unit(path, level, unit) for unit, path in paths]
    gdf = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    if parent:
        gdf = gdf.loc[gdf["code"].str.startswith(parent + ".")]
    gdf = gpd.GeoDataFrame(gdf[COLUMNS].sort_values("code").reset_index(drop=True),
                           geometry="geometry", crs=CRS)
    return gdf


def _check(level: str, parent: str | None) -> None:
    if level not in LEVELS:
        raise ValueError(f"tingkat tidak dikenal: {level}")
    if parent:
        plevel = level_of(parent)  # ValueError for a malformed code
        if LEVELS.index(plevel) >= LEVELS.index(level):
            raise ValueError(f"{parent} ({plevel}) bukan induk tingkat {level}")


def display_layer(level: str, parent: str | None = None) -> gpd.GeoDataFrame:
    """Simplified polygons of ``level`` under ``parent`` (None = all of Indonesia).

    Columns code, name, parent_code, geometry (EPSG:4326, valid non-empty MultiPolygons,
    rounded coordinates), sorted by code. ``parent`` may be any ancestor code, e.g.
    ``display_layer("kecamatan", "62")`` or ``display_layer("desa", "62.01.01")``.
    The frame is shared (memoised): copy before mutating it. Built on first use per unit
    and cached on disk (see module docstring); ``desa`` without parent builds all 514
    kabupaten pieces (minutes, cold).
    """
    _check(level, parent)
    source_hash = _source_hash(level)
    paths = tuple((u, str(unit_path(level, u, source_hash))) for u in _units(level, parent))
    return _layer(level, paths, parent or None)


def clear_memo() -> None:
    """Forget the in-process copies (the disk cache stays)."""
    _load_unit.cache_clear()
    _layer.cache_clear()


# ---------------------------------------------------------------- GeoJSON payload


def _json_value(v):
    """A JSON-serialisable copy of a property value (NaN/NA → null, numpy → Python)."""
    if isinstance(v, dict):
        return {str(k): _json_value(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_json_value(x) for x in v]
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) or math.isinf(v) else float(v)
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(v).isoformat()
    return v


def geojson_payload(layer: gpd.GeoDataFrame, properties: pd.DataFrame | None = None,
                    decimals: int | None = 5) -> str:
    """Compact GeoJSON FeatureCollection text (no whitespace) of ``layer``.

    Feature properties: ``code`` and ``name`` of the layer (when it has them), then the
    columns of ``properties``, which win over the layer's (e.g. an HTML-escaped ``name``).
    ``properties`` is matched by its ``code`` column (or index named ``code``) when it has
    one, else aligned on the layer's index. Values: NaN/NA → null, dicts and lists are
    kept (e.g. a per-feature ``style``). Coordinates are rounded to ``decimals`` (None = as
    stored; display layers are already rounded, rounding them again changes nothing).
    Non-ASCII text is written as is (UTF-8), not as ``\\u`` escapes.
    """
    geoms = np.asarray(layer.geometry.values, dtype=object)
    if decimals is not None and len(geoms):
        geoms = round_coordinates(geoms, decimals)
    geo_text = shapely.to_geojson(geoms) if len(geoms) else np.array([], dtype=object)
    props = pd.DataFrame({c: layer[c].to_numpy() for c in ("code", "name") if c in layer.columns},
                         index=layer.index)
    if properties is not None and len(properties.columns):
        extra = properties
        if "code" in extra.columns or extra.index.name == "code":
            if "code" not in props:
                raise ValueError("properties punya kolom code, layer tidak")
            extra = extra.set_index("code") if "code" in extra.columns else extra
            extra = extra.loc[~extra.index.duplicated()].reindex(props["code"].to_numpy())
        else:
            extra = extra.reindex(layer.index)
        for col in extra.columns:
            props[str(col)] = extra[col].to_numpy()
    cols = [str(c) for c in props.columns]
    records = props.to_numpy(dtype=object)
    dumps = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"),
                              allow_nan=False)
    parts = []
    for row, g in zip(records, geo_text):
        p = dumps({c: _json_value(v) for c, v in zip(cols, row)})
        parts.append(f'{{"type":"Feature","properties":{p},"geometry":{g or "null"}}}')
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


def payload_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def payload_size(level: str, parent: str | None = None,
                 properties: pd.DataFrame | None = None) -> int:
    """Bytes (UTF-8) of the GeoJSON of ``display_layer(level, parent)``."""
    return payload_bytes(geojson_payload(display_layer(level, parent), properties, decimals=None))


def vertices(layer: gpd.GeoDataFrame) -> int:
    return int(shapely.get_num_coordinates(np.asarray(layer.geometry.values, dtype=object)).sum())
