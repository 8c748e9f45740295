"""Administrative regions: Kemendagri code lists and boundary polygons, validated on load.

Every function returns plain pandas/geopandas objects with codes as strings and levels
named in Indonesian (``provinsi``, ``kabupaten``, ``kecamatan``, ``desa``).

Boundaries are read from the data directory (GeoJSON or GeoParquet, see geo.config),
checked (unique codes, parents exist, codes in the code list, valid geometry — invalid
ones are repaired and reported) and written to the cache as GeoParquet keyed by the
sha256 of their source files; a changed source rebuilds the cache entry.
"""
from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import shapely

from geo import cache
from geo.codes import LEVEL_FROM_FILE, LEVELS, PARTS, parent_level
from geo.config import (
    BOUNDARY_FILES,
    CODE_LISTS,
    NO_DATA_GUIDANCE,
    DataDirError,
    data_dir,
    read_text_table,
)
from geo.geometry import as_multipolygons, polygon_parts

CRS = "EPSG:4326"
BOUNDARY_COLUMNS = ["code", "name", "level", "parent_code", "province_code", "kind", "geometry"]
LOADER_VERSION = "1"  # bump to invalidate cached boundary copies when the loader changes


@dataclass(frozen=True)
class LoadProblem:
    """One finding of the load-time checks (message in Indonesian)."""
    level: str
    code: str
    problem: str
    action: str


# ---------------------------------------------------------------- code lists

@functools.lru_cache(maxsize=16)
def _code_list(root: str, level: str) -> pd.DataFrame:
    path = Path(root) / CODE_LISTS[level]
    if not path.exists():
        raise DataDirError(NO_DATA_GUIDANCE.format(where=f"{path} tidak ditemukan"))
    df = read_text_table(path)
    parent_col = {"provinsi": None, "kabupaten": "province_code", "kecamatan": "regency_code",
                  "desa": "district_code"}[level]
    df["parent_code"] = df[parent_col] if parent_col else None
    if "province_code" not in df:
        df["province_code"] = df["code"]
    if "kind" not in df:
        df["kind"] = None
    df["level"] = level
    df["name"] = df["name"].str.strip()
    return df[["code", "name", "level", "parent_code", "province_code", "kind"]].copy()


def code_list(level: str) -> pd.DataFrame:
    """Official code list of one level: code, name, level, parent_code, province_code, kind."""
    return _code_list(str(data_dir()), level)


@functools.lru_cache(maxsize=4)
def _village_codes_sorted(root: str) -> np.ndarray:
    return np.sort(np.asarray(_code_list(root, "desa")["code"], dtype="U13"))


def village_codes_sorted() -> np.ndarray:
    """All desa codes of the Kemendagri list as a sorted fixed-width array (fast membership)."""
    return _village_codes_sorted(str(data_dir()))


def scope_provinces(scope: str) -> list[str]:
    """Province codes of a scope: "nasional" (all) or one province code."""
    provinces = list(code_list("provinsi")["code"])
    if scope == "nasional":
        return provinces
    if scope not in provinces:
        raise ValueError(f"cakupan tidak dikenal: {scope!r} (pakai 'nasional' atau kode provinsi)")
    return [scope]


def all_regions() -> pd.DataFrame:
    """Code lists of all four levels, one table."""
    return pd.concat([code_list(lv) for lv in LEVELS], ignore_index=True)


def region_names() -> pd.Series:
    """code → official name, all levels."""
    df = all_regions()
    return pd.Series(df["name"].values, index=df["code"].values)


def check_code_lists() -> list[LoadProblem]:
    """Unique codes and existing parents in the code lists."""
    problems: list[LoadProblem] = []
    known: set[str] = set()
    for level in LEVELS:
        df = code_list(level)
        for code in df.loc[df["code"].duplicated(), "code"]:
            problems.append(LoadProblem(level, code, "kode ganda di daftar kode", "dilaporkan"))
        if level != "provinsi":
            orphan = df.loc[~df["parent_code"].isin(known), "code"]
            for code in orphan:
                problems.append(LoadProblem(level, code, "induk wilayah tidak ada di daftar kode",
                                            "dilaporkan"))
        known = set(df["code"])
    return problems


# ---------------------------------------------------------------- boundaries

def _workspace_boundary(level: str) -> Path | None:
    """The data file of the user's saved boundaries of ``level`` (Kelola Data), if any."""
    from geo import workspace
    try:
        version = workspace.current(f"batas_{level}")
    except Exception:       # an unreadable workspace must not take the maps down
        return None
    return version.data_path if version is not None else None


def _boundary_sources(level: str, root: Path) -> list[Path]:
    """Files holding the polygons of one level, main file first, then per-province files,
    then the boundaries of this level saved by the user in the workspace (Kelola Data).

    Per-province files (e.g. ``kalteng62_districts.geojson`` dissolved from the village
    layer) and saved boundaries replace the earlier files' polygons of the provinces they
    cover: maps, joins and indicators all read this merged layer.
    """
    main = root / BOUNDARY_FILES[level]
    word = {"provinsi": "provinces", "kabupaten": "regencies", "kecamatan": "districts",
            "desa": "villages"}[level]
    sources = [main] if main.exists() else []
    if level == "desa" and not main.exists():
        alt = main.with_suffix(".geojson")
        if alt.exists():
            sources.append(alt)
    bdir = root / "boundaries"
    if bdir.exists():
        extra = sorted(p for p in bdir.glob(f"*{word}*")
                       if p.suffix in (".geojson", ".parquet") and p not in sources
                       and not p.name.startswith("id_"))
        sources.extend(extra)
    saved = _workspace_boundary(level)
    if saved is not None and saved.exists():
        sources.append(saved)
    return sources


def saved_boundary_provinces(level: str) -> list[str]:
    """Provinces whose ``level`` polygons come from the user's saved boundaries."""
    saved = _workspace_boundary(level)
    if saved is None or not saved.exists():
        return []
    codes = pq.read_table(saved, columns=["code"]).column("code").to_pylist()
    return sorted({str(c)[:2] for c in codes if c})


def _read_any(path: Path) -> gpd.GeoDataFrame:
    if path.suffix == ".parquet":
        gdf = gpd.read_parquet(path)
    else:
        gdf = gpd.read_file(path, engine="pyogrio")
    if gdf.crs is None:
        gdf = gdf.set_crs(CRS)
    elif gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(CRS)
    for col in ("code", "name", "parent_code", "kind", "province_code"):
        if col in gdf:
            gdf[col] = gdf[col].astype("string").astype(object).where(gdf[col].notna(), None)
    return gdf


def repair_geometries(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Make every geometry a valid MultiPolygon; returns (geometries, repaired mask).

    Rule (same as the data directory's README): each part made valid, polygonal parts
    kept, all parts unioned into one MultiPolygon.
    """
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    valid = shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    repaired = ~valid & ~shapely.is_missing(geoms)
    for i in np.flatnonzero(repaired):
        fixed = shapely.make_valid(shapely.get_parts(geoms[i]))
        polys = [p for g in fixed for p in polygon_parts(g)]
        out[i] = shapely.union_all(polys) if polys else None
    return as_multipolygons(out), repaired


def _validate(level: str, gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[LoadProblem]]:
    problems: list[LoadProblem] = []
    codes = code_list(level)
    known = set(codes["code"])
    # Codes must be strings of this level.
    depth = gdf["code"].str.count(r"\.") + 1
    bad_depth = depth != PARTS[level]
    for code in gdf.loc[bad_depth, "code"]:
        problems.append(LoadProblem(level, str(code), f"kode bukan tingkat {level}", "dibuang"))
    gdf = gdf.loc[~bad_depth]
    # Unique codes: keep the first polygon, report the others.
    dup = gdf["code"].duplicated(keep="first")
    for code in gdf.loc[dup, "code"]:
        problems.append(LoadProblem(level, code, "kode ganda pada batas wilayah",
                                    "poligon pertama dipakai"))
    gdf = gdf.loc[~dup]
    # Codes in the official list; official names.
    unknown = ~gdf["code"].isin(known)
    for code in gdf.loc[unknown, "code"]:
        problems.append(LoadProblem(level, code, "kode tidak ada di daftar kode Kemendagri",
                                    "dipakai dengan nama dari berkas batas"))
    official = codes.set_index("code")
    gdf = gdf.copy()
    name = gdf["code"].map(official["name"])
    gdf["name"] = name.where(name.notna(), gdf.get("name"))
    kind = gdf["code"].map(official["kind"])
    gdf["kind"] = kind.where(kind.notna(), gdf["kind"] if "kind" in gdf else None)
    # Parents exist.
    plevel = parent_level(level)
    gdf["parent_code"] = gdf["code"].str.rsplit(".", n=1).str[0] if plevel else None
    if plevel:
        parents = set(code_list(plevel)["code"])
        orphan = ~gdf["parent_code"].isin(parents)
        for code in gdf.loc[orphan, "code"]:
            problems.append(LoadProblem(level, code, "induk wilayah tidak ada di daftar kode",
                                        "dilaporkan"))
    gdf["province_code"] = gdf["code"].str[:2]
    gdf["level"] = level
    # Geometry: missing, invalid.
    missing = gdf.geometry.isna() | gdf.geometry.is_empty
    for code in gdf.loc[missing, "code"]:
        problems.append(LoadProblem(level, code, "geometri kosong", "dibuang dari peta"))
    gdf = gdf.loc[~missing]
    geoms, repaired = repair_geometries(gdf.geometry.values)
    for code in gdf.loc[repaired, "code"]:
        problems.append(LoadProblem(level, code, "geometri tidak valid",
                                    "diperbaiki (make_valid + union bagian poligon)"))
    gdf = gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=CRS))
    gdf = gdf[BOUNDARY_COLUMNS].sort_values("code").reset_index(drop=True)
    return gdf, problems


def _build_level(level: str, root: Path) -> tuple[gpd.GeoDataFrame, list[LoadProblem]]:
    sources = _boundary_sources(level, root)
    if not sources:
        raise DataDirError(NO_DATA_GUIDANCE.format(where=f"batas {level} tidak ditemukan di {root}"))
    frames: list[gpd.GeoDataFrame] = []
    for path in sources:
        gdf = _read_any(path)
        if "level" in gdf:
            lv = gdf["level"].map(lambda v: LEVEL_FROM_FILE.get(v, v))
            gdf = gdf.loc[lv == level]
        if frames:
            covered = set(gdf["code"].str[:2])
            frames = [f.loc[~f["code"].str[:2].isin(covered)] for f in frames]
        frames.append(gdf)
    merged = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=CRS)
    return _validate(level, merged)


def _cached_level_path(level: str) -> tuple[Path, Path]:
    root = data_dir()
    sources = _boundary_sources(level, root)
    if not sources:
        raise DataDirError(NO_DATA_GUIDANCE.format(where=f"batas {level} tidak ditemukan di {root}"))
    # the parent level's code list too: the checks report parents missing from it
    lists = [root / CODE_LISTS[lv] for lv in (level, parent_level(level)) if lv]
    key = cache.key_for([*sources, *lists], extra=LOADER_VERSION)
    path = cache.path(f"boundaries-{level}-{key}.parquet")
    report = path.with_suffix(".problems.json")
    if not path.exists():
        gdf, problems = _build_level(level, root)
        cache.write_parquet_atomic(gdf, path)
        cache.write_text_atomic(report, json.dumps([asdict(p) for p in problems], ensure_ascii=False))
    return path, report


def cache_file(level: str) -> Path:
    """The validated GeoParquet copy of a level (built if missing); its name holds the
    hash of the sources, so derived artefacts can key on it."""
    return _cached_level_path(level)[0]


@functools.lru_cache(maxsize=32)
def _boundaries_cached(path: str, provinces: tuple[str, ...] | None) -> gpd.GeoDataFrame:
    filters = [("province_code", "in", list(provinces))] if provinces else None
    return gpd.read_parquet(path, filters=filters)


def boundaries(level: str, provinces: str | list[str] | tuple[str, ...] | None = None,
               ) -> gpd.GeoDataFrame:
    """Validated polygons of one level (optionally of some provinces only).

    Columns: code, name, level, parent_code, province_code, kind, geometry (EPSG:4326,
    MultiPolygon). The returned frame is shared (cached): copy before mutating it.
    """
    if level not in LEVELS:
        raise ValueError(f"tingkat tidak dikenal: {level}")
    if isinstance(provinces, str):
        provinces = [provinces]
    path, _ = _cached_level_path(level)
    return _boundaries_cached(str(path), tuple(sorted(provinces)) if provinces else None)


def load_problems(level: str) -> list[LoadProblem]:
    """Findings of the checks run when the level was loaded (from the cache's report)."""
    _, report = _cached_level_path(level)
    return [LoadProblem(**p) for p in json.loads(report.read_text(encoding="utf-8"))]


def has_level(level: str) -> bool:
    return bool(_boundary_sources(level, data_dir()))


def village_provinces() -> set[str]:
    """Provinces whose village polygons are available."""
    if not has_level("desa"):
        return set()
    path, _ = _cached_level_path("desa")
    table = pq.read_table(path, columns=["province_code"])
    return set(table.column("province_code").unique().to_pylist())


def analysis_layer(provinces: list[str] | None = None) -> gpd.GeoDataFrame:
    """The finest polygons available for each area: desa where village polygons exist,
    else kecamatan. Column ``level`` tells which one each polygon is."""
    with_villages = village_provinces()
    wanted = set(provinces) if provinces else None
    parts = []
    vprov = sorted(with_villages & wanted) if wanted else sorted(with_villages)
    if vprov:
        parts.append(boundaries("desa", vprov if wanted else None))
    rest = (wanted - with_villages) if wanted else None
    if wanted is None or rest:
        kec = boundaries("kecamatan", sorted(rest) if rest else None)
        kec = kec.loc[~kec["province_code"].isin(with_villages)]
        parts.append(kec)
    layer = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
    return gpd.GeoDataFrame(layer, crs=CRS)


def children(code: str | None) -> pd.DataFrame:
    """Code-list rows one level below ``code`` (provinces for None/"" = Indonesia)."""
    if not code:
        return code_list("provinsi")
    level = LEVELS[code.count(".") + 1] if code.count(".") < 3 else None
    if level is None:
        return code_list("desa").iloc[0:0]
    df = code_list(level)
    return df.loc[df["parent_code"] == code]
