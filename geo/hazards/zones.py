"""SAMPLE hazards: flood and landslide zones and a karhutla index raster.

No open InaRISK hazard map is in the data directory, so the project generates *sample*
hazards (``sumber="sampel"``, ``sampel=True``, shown as DATA SAMPEL) to exercise the
pipeline — polygons and the raster path alike. Real zones imported by users have the same
columns (exposure: geo.hazards.exposure; types: geo.hazards.types):

    id, jenis (an InaRISK type id), kelas ("rendah" | "sedang" | "tinggi"),
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

from geo import cache
from geo.geometry import polygon_parts
from geo.hazards import types as ht
from geo.regions.boundaries import cache_file, scope_provinces

HAZARD_VERSION = "1"
CRS = "EPSG:4326"
NATIONAL = "nasional"
JENIS = ("banjir", "tanah_longsor")                      # types of the sample zones
KELAS = ht.KELAS
KELAS_RANK = ht.KELAS_RANK                               # rendah < sedang < tinggi
NO_HAZARD = "tidak_ada"                                  # column name in exposure tables
ZONE_COLUMNS = ["id", "jenis", "kelas", "sumber", "sampel", "geometry"]

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
    from geo.sample.points import sample_points
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
    from geo.regions.boundaries import boundaries
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


# ---------------------------------------------------------------- exposure (geo.hazards.exposure)
from geo.hazards.exposure import classify_posyandu, exposure_by_region  # noqa: E402,F401  (re-exported)

# ---------------------------------------------------------------- sample index raster

RASTER_VERSION = "1"
RASTER_TYPE = "karhutla"
RASTER_RES = 0.02                      # degrees (~2.2 km)
RASTER_NODATA = -9999.0
# Provinces with large peatlands (Sumatra's east coast, Kalimantan): a higher fire index.
PEAT_PROVINCES = ("14", "15", "16", "21", "61", "62", "63", "64", "65", "94")


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], cells: int) -> np.ndarray:
    """Random field on a coarse grid (``cells`` raster cells apart), bilinearly upsampled."""
    h, w = shape
    ch, cw = h // cells + 2, w // cells + 2
    coarse = rng.normal(size=(ch, cw))
    ys, xs = np.arange(h) / cells, np.arange(w) / cells
    rows = np.stack([np.interp(xs, np.arange(cw), coarse[i]) for i in range(ch)])
    return np.stack([np.interp(ys, np.arange(ch), rows[:, j]) for j in range(w)], axis=1)


def generate_index_raster(scope: str = "62", seed: int = 0) -> tuple[np.ndarray, tuple]:
    """SAMPLE karhutla index (0–1, float32, ``RASTER_NODATA`` off land) over the scope's
    provinces on a ``RASTER_RES``° lon/lat grid: two scales of smooth noise, raised in
    peatland provinces; returns (values, affine coefficients)."""
    import rasterio.features
    from affine import Affine

    from geo.regions.boundaries import boundaries
    codes = scope_provinces(scope)
    provinces = boundaries("provinsi")
    provinces = provinces.loc[provinces["code"].isin(codes)].reset_index(drop=True)
    x0, y0, x1, y1 = provinces.total_bounds
    x0, y1 = np.floor(x0 / RASTER_RES) * RASTER_RES, np.ceil(y1 / RASTER_RES) * RASTER_RES
    w, h = int(np.ceil((x1 - x0) / RASTER_RES)), int(np.ceil((y1 - y0) / RASTER_RES))
    transform = Affine(RASTER_RES, 0, float(x0), 0, -RASTER_RES, float(y1))
    which = rasterio.features.rasterize(
        ((g, i + 1) for i, g in enumerate(provinces.geometry)), out_shape=(h, w),
        transform=transform, fill=0, dtype="int16")
    rng = np.random.default_rng([int(seed), 62, 11])
    field = 0.65 * _smooth_noise(rng, (h, w), 40) + 0.35 * _smooth_noise(rng, (h, w), 8)
    field = (field - field.mean()) / (field.std() or 1.0)
    peat = np.r_[False, provinces["code"].isin(PEAT_PROVINCES).to_numpy()][which]
    index = 1 / (1 + np.exp(-(1.1 * field + np.where(peat, 0.6, -1.2))))
    values = np.where(which > 0, np.clip(index, 0, 1), RASTER_NODATA).astype(np.float32)
    return values, tuple(transform)[:6]


def _raster_cache_path(scope: str, seed: int) -> Path:
    key = cache.key_for([cache_file("provinsi")],
                        extra=f"hazard-raster|{RASTER_VERSION}|{scope}|{seed}")
    return cache.path(f"sample-hazard-index-{RASTER_TYPE}-{scope}-{seed}-{key}.tif")


def sample_index_raster_path(scope: str = "62", seed: int = 0) -> Path:
    """Path of the SAMPLE karhutla index GeoTIFF in the cache (generated when missing); it
    is then read like any user's InaRISK file (geo.hazards.raster.read_raster)."""
    import os
    import tempfile

    import rasterio
    from affine import Affine
    scope_provinces(scope)
    path = _raster_cache_path(scope, seed)
    if path.exists():
        return path
    values, transform = generate_index_raster(scope, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".tif", dir=path.parent)
    os.close(fd)
    with rasterio.open(tmp, "w", driver="GTiff", height=values.shape[0], width=values.shape[1],
                       count=1, dtype="float32", crs=CRS, transform=Affine(*transform),
                       nodata=RASTER_NODATA, compress="deflate", tiled=True) as dst:
        dst.write(values, 1)
        dst.update_tags(JENIS=RASTER_TYPE, SAMPEL=1,
                        SUMBER="DATA SAMPEL — indeks karhutla buatan, bukan InaRISK")
    os.replace(tmp, path)
    return path


def sample_index_raster(scope: str = "62", seed: int = 0):
    """The SAMPLE karhutla index raster, classed with the InaRISK default breaks."""
    from geo.hazards.raster import read_raster
    return read_raster(sample_index_raster_path(scope, seed), RASTER_TYPE, sample=True,
                       source_name="sampel")
