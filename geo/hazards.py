"""Hazard zones (flood, landslide) and the exposure of Posyandu to them.

No open flood or landslide hazard map (InaRISK polygons) is in the data directory, so the
project generates *sample* zones (``sumber="sampel"``, ``sampel=True``) to exercise the
pipeline; real zones imported by users have the same columns:

    id, jenis ("banjir" | "tanah_longsor"), kelas ("rendah" | "sedang" | "tinggi"),
    sumber, sampel, geometry (Polygon/MultiPolygon, EPSG:4326)

One row per zone and class; the classes of one zone are non-overlapping rings, nested
tinggi inside sedang inside rendah.

Sample zones (there is no elevation model, so "lowland" is approximated by the distance to
the coast — the part of a province's boundary that no other province shares):

* flood (banjir): meandering river-like lines starting near the coast and running inland,
  buffered three times (narrow = tinggi, wider = sedang, widest = rendah);
* landslide (tanah_longsor): irregular blobs centred far from the coast and outside the
  flood zones;

both clipped to the province polygon. Each province draws from its own random stream, so a
province's zones are the same whether generated alone or nationally.
"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import cache
from .regions import cache_file, scope_provinces
from .codes import truncate
from .geometry import polygon_parts

HAZARD_VERSION = "1"
CRS = "EPSG:4326"
NATIONAL = "nasional"
JENIS = ("banjir", "tanah_longsor")
KELAS = ("rendah", "sedang", "tinggi")
KELAS_RANK = {k: i + 1 for i, k in enumerate(KELAS)}     # rendah < sedang < tinggi
NO_HAZARD = "tidak_ada"                                  # column name in exposure tables
ZONE_COLUMNS = ["id", "jenis", "kelas", "sumber", "sampel", "geometry"]
CLASS_COLUMNS = ["hazard_banjir", "hazard_tanah_longsor", "hazard_max"]

# Zones per province: (flood, landslide) for a single-province scope and nationally.
ZONES_PROVINCE = (8, 6)
ZONES_NATIONAL = (3, 2)
# Sizes as fractions of the province's scale s = sqrt(area in degrees²), clipped.
FLOOD_LENGTH = (0.25, 0.5)
FLOOD_WIDTH = {"tinggi": 0.005, "sedang": 0.011, "rendah": 0.02}
LANDSLIDE_RADIUS = (0.03, 0.06)
LANDSLIDE_SCALE = {"rendah": 1.0, "sedang": 0.65, "tinggi": 0.35}
RIVER_STEPS = 40
BLOB_VERTICES = 48


def _coast_points(code: str, provinces: gpd.GeoDataFrame, tol: float = 0.01) -> np.ndarray:
    """Vertices of the province boundary not shared with (not within ``tol`` of) any other
    province: a proxy of its coastline."""
    geom = provinces.loc[provinces["code"] == code].geometry.iloc[0]
    coords = shapely.get_coordinates(shapely.boundary(geom))
    pts = shapely.points(coords)
    others = provinces.loc[provinces["code"] != code]
    hit, _ = others.sindex.query(pts, predicate="dwithin", distance=tol)
    coast = np.ones(len(pts), dtype=bool)
    coast[np.unique(hit)] = False
    return pts[coast] if coast.any() else pts


def _pick(weights: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of k items drawn without replacement in proportion to ``weights``."""
    keys = np.log(np.maximum(weights, 1e-300)) + rng.gumbel(size=len(weights))
    return np.argsort(-keys, kind="stable")[:k]


def _rings(outer_to_inner: list[np.ndarray]) -> list[np.ndarray]:
    """Nested shapes (rendah ⊇ sedang ⊇ tinggi) → non-overlapping rings per class."""
    r, s, t = outer_to_inner
    return [shapely.difference(r, s), shapely.difference(s, t), t]


def _province_zones(code: str, provinces: gpd.GeoDataFrame, n_flood: int, n_slide: int,
                    rng: np.random.Generator) -> gpd.GeoDataFrame:
    from .generate import sample_points
    land = provinces.loc[provinces["code"] == code].geometry.iloc[0]
    s = float(np.clip(np.sqrt(shapely.area(land)), 0.15, 4.0))
    # Candidate centres inside the province and their distance to the coast.
    n_cand = 25 * (n_flood + n_slide)
    cx, cy, _ = sample_points(np.array([land], dtype=object), np.zeros(n_cand, dtype=np.int64),
                              rng)
    cand = shapely.points(cx, cy)
    coast = shapely.STRtree(_coast_points(code, provinces))
    near_idx, dist = coast.query_nearest(cand, return_distance=True, all_matches=False)
    d = np.full(n_cand, np.inf)
    d[near_idx[0]] = dist
    coast_geoms = coast.geometries
    nearest = np.empty(n_cand, dtype=object)
    nearest[near_idx[0]] = coast_geoms[near_idx[1]]

    # --- floods: near the coast (lowland proxy), running inland, meandering
    starts = _pick(np.exp(-d / (0.1 * s)), n_flood, rng)
    sx, sy = cx[starts], cy[starts]
    nx, ny = shapely.get_x(nearest[starts]), shapely.get_y(nearest[starts])
    heading = np.arctan2(sy - ny, sx - nx) + rng.normal(0, 0.4, n_flood)
    turns = np.cumsum(rng.normal(0, 0.18, (n_flood, RIVER_STEPS)), axis=1)
    length = rng.uniform(*FLOOD_LENGTH, n_flood) * s
    step = (length / RIVER_STEPS)[:, None]
    ang = heading[:, None] + turns
    xs = np.concatenate([sx[:, None], sx[:, None] + np.cumsum(step * np.cos(ang), axis=1)], 1)
    ys = np.concatenate([sy[:, None], sy[:, None] + np.cumsum(step * np.sin(ang), axis=1)], 1)
    rivers = shapely.linestrings(np.stack([xs, ys], axis=-1))
    width = rng.uniform(0.8, 1.25, n_flood) * s
    flood = _rings([shapely.buffer(rivers, width * FLOOD_WIDTH[k], quad_segs=4)
                    for k in ("rendah", "sedang", "tinggi")])

    # --- landslides: far from the coast, outside the flood zones
    flood_all = shapely.union_all(shapely.buffer(rivers, width * FLOOD_WIDTH["rendah"]))
    free = ~shapely.contains_xy(flood_all, cx, cy)
    w = np.where(free, np.minimum(d, 10 * s) + 1e-6, 1e-12)
    centres = _pick(w, n_slide, rng)
    theta = np.linspace(0, 2 * np.pi, BLOB_VERTICES, endpoint=False)
    amp = rng.uniform(0, 1, (n_slide, 3)) * np.array([0.25, 0.15, 0.1])
    phase = rng.uniform(0, 2 * np.pi, (n_slide, 3))
    wobble = 1 + sum(amp[:, i:i + 1] * np.sin((i + 1) * theta[None, :] + phase[:, i:i + 1])
                     for i in range(3))
    radius = (rng.uniform(*LANDSLIDE_RADIUS, n_slide) * s)[:, None] * wobble
    stretch = rng.uniform(0.6, 1.0, n_slide)[:, None]
    rot = rng.uniform(0, np.pi, n_slide)[:, None]

    def blob(scale: float) -> np.ndarray:
        u, v = radius * scale * np.cos(theta), radius * scale * stretch * np.sin(theta)
        bx = cx[centres][:, None] + u * np.cos(rot) - v * np.sin(rot)
        by = cy[centres][:, None] + u * np.sin(rot) + v * np.cos(rot)
        ring = np.stack([np.c_[bx, bx[:, :1]], np.c_[by, by[:, :1]]], axis=-1)
        return shapely.polygons(ring)

    slide = _rings([blob(LANDSLIDE_SCALE[k]) for k in ("rendah", "sedang", "tinggi")])

    rows = []
    for jenis, tag, parts in (("banjir", "B", flood), ("tanah_longsor", "L", slide)):
        for kelas, geoms in zip(("rendah", "sedang", "tinggi"), parts):
            clipped = shapely.intersection(geoms, land)
            for i, g in enumerate(clipped):
                rows.append((f"SMPZ-{code}-{tag}{i + 1:02d}-{kelas}", jenis, kelas, g))
    df = pd.DataFrame(rows, columns=["id", "jenis", "kelas", "geometry"])
    geoms = shapely.make_valid(df["geometry"].to_numpy())
    # Keep the polygonal parts only (intersections can add slivers of lines/points).
    geoms = np.array([_polygonal(g) for g in geoms], dtype=object)
    df["geometry"] = geoms
    keep = ~shapely.is_empty(geoms) & (shapely.area(geoms) > 0)
    return gpd.GeoDataFrame(df.loc[keep], geometry="geometry", crs=CRS)


def _polygonal(geom):
    """The polygonal parts of a geometry, unioned (an empty Polygon when there are none)."""
    if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = polygon_parts(geom)
    return shapely.union_all(polys) if polys else shapely.Polygon()


def generate_hazard_zones(scope: str = "62", seed: int = 0) -> gpd.GeoDataFrame:
    """Sample flood and landslide zones (``sumber="sampel"``, ``sampel=True``).

    ``scope``: a province code or ``"nasional"`` (``ZONES_NATIONAL`` zones per province
    instead of ``ZONES_PROVINCE``). Columns: id, jenis, kelas, sumber, sampel, geometry.
    Deterministic for a seed. Sizes scale with the province (s = √area in degrees²): rivers
    0.25–0.5 s long with buffers of 0.5/1.1/2 % of s, landslide blobs of radius 3–6 % of s.
    """
    from .regions import boundaries
    codes = scope_provinces(scope)
    provinces = boundaries("provinsi")
    n_flood, n_slide = ZONES_NATIONAL if scope == NATIONAL else ZONES_PROVINCE
    frames = []
    for code in codes:
        rng = np.random.default_rng([int(seed), int(code), 7])
        frames.append(_province_zones(code, provinces, n_flood, n_slide, rng))
    zones = pd.concat(frames, ignore_index=True)
    zones["sumber"] = "sampel"
    zones["sampel"] = True
    for col in ("id", "jenis", "kelas", "sumber"):
        zones[col] = zones[col].astype("str")
    return gpd.GeoDataFrame(zones[ZONE_COLUMNS], geometry="geometry", crs=CRS)


def _cache_path(scope: str, seed: int) -> Path:
    sources = [cache_file("provinsi")]  # named by the hash of the boundaries + code list
    key = cache.key_for(sources, extra=f"hazards|{HAZARD_VERSION}|{scope}|{seed}")
    return cache.path(f"sample-hazards-{scope}-{seed}-{key}.parquet")


def sample_hazard_zones(scope: str = "62", seed: int = 0) -> gpd.GeoDataFrame:
    """Sample hazard zones for (scope, seed): from the cache, else generated and cached."""
    scope_provinces(scope)
    path = _cache_path(scope, seed)
    if path.exists():
        zones = gpd.read_parquet(path)
        for col in ("id", "jenis", "kelas", "sumber"):
            zones[col] = zones[col].astype("str")
        zones["sampel"] = zones["sampel"].astype(bool)
        return zones
    zones = generate_hazard_zones(scope, seed)
    cache.write_parquet_atomic(zones, path, row_group_size=1024)
    return zones


# ---------------------------------------------------------------- exposure

def classify_posyandu(posyandu: gpd.GeoDataFrame, zones: gpd.GeoDataFrame) -> pd.DataFrame:
    """Highest hazard class of every Posyandu, per hazard type and overall.

    One bulk STRtree query (``zones.sindex.query(points, predicate="intersects")``), then a
    vectorised maximum of the class rank per post (rendah < sedang < tinggi). Returns a
    DataFrame indexed like ``posyandu`` with columns hazard_banjir, hazard_tanah_longsor,
    hazard_max holding "rendah"/"sedang"/"tinggi", or None for posts outside every zone
    (shown as "tidak ada"). Zones whose ``jenis`` is not a known type count only in
    hazard_max.
    """
    n = len(posyandu)
    labels = np.array([None, *KELAS], dtype=object)
    best = {j: np.zeros(n, dtype=np.int64) for j in JENIS}
    overall = np.zeros(n, dtype=np.int64)
    if n and len(zones):
        pts = posyandu.geometry
        if zones.crs is not None and pts.crs is not None and pts.crs != zones.crs:
            pts = pts.to_crs(zones.crs)
        ip, iz = zones.sindex.query(np.asarray(pts.array), predicate="intersects")
        rank = zones["kelas"].map(KELAS_RANK).fillna(0).astype(np.int64).to_numpy()[iz]
        jenis = zones["jenis"].astype(object).to_numpy()[iz]
        np.maximum.at(overall, ip, rank)
        for j in JENIS:
            m = jenis == j
            np.maximum.at(best[j], ip[m], rank[m])
    # object columns, so that "no zone" stays None (pandas would infer str with NaN)
    cols = {f"hazard_{j}": pd.Series(labels[best[j]], index=posyandu.index, dtype=object)
            for j in JENIS}
    cols["hazard_max"] = pd.Series(labels[overall], index=posyandu.index, dtype=object)
    return pd.DataFrame(cols, index=posyandu.index)[CLASS_COLUMNS]


def exposure_by_region(posyandu_with_codes: pd.DataFrame, classes: pd.DataFrame, level: str,
                       column: str = "hazard_max", code_column: str | None = None,
                       ) -> pd.DataFrame:
    """Number of Posyandu per region code and hazard class.

    ``posyandu_with_codes`` has ``kode_desa_lokasi`` (the desa — or kecamatan where no village
    polygon exists — where each point falls; ``code_column`` names another column, and
    without either ``kode_lokasi`` of geo.join is used); codes are truncated to ``level`` with
    ``geo.codes.truncate`` (a kecamatan code stays a kecamatan code at level desa). Posts
    without a location code are left out. ``classes`` is the output of
    :func:`classify_posyandu` (same index); ``column`` picks the hazard (default the maximum).
    Returns columns code, rendah, sedang, tinggi, tidak_ada, total (ints), sorted by code.
    """
    cols = [*KELAS, NO_HAZARD]
    if code_column is None:
        code_column = ("kode_desa_lokasi" if "kode_desa_lokasi" in posyandu_with_codes
                       else "kode_lokasi")
    codes = posyandu_with_codes[code_column]
    has = codes.notna().to_numpy()
    if not has.any():
        return pd.DataFrame({"code": pd.Series(dtype="str"),
                             **{c: pd.Series(dtype="int64") for c in [*cols, "total"]}})
    code = truncate(codes[has].astype(str), level).to_numpy()
    cls = classes[column].reindex(posyandu_with_codes.index)[has]
    cls = cls.astype(object).where(cls.notna(), NO_HAZARD).to_numpy()
    table = pd.crosstab(pd.Series(code, name="code"), pd.Series(cls, name="kelas"))
    table = table.reindex(columns=cols, fill_value=0).astype("int64")
    table["total"] = table[cols].sum(axis=1)
    table.columns.name = None
    return table.sort_index().reset_index()
