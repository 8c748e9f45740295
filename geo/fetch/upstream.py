"""Parse the open upstream SQL files and convert them to the data-directory layout.

Upstream (both MIT, see ``../shared/data/README.md`` §1, §2 and §4):

* ``cahyadsn/wilayah_boundaries`` — ``db/{prov,kab,kec}/*.sql`` and
  ``db/kel/<prov>/wilayah_boundaries_kel_<regency>.sql``: MySQL ``INSERT`` rows
  ``('code','name',lat,lng,'<json path>')``, one row per line, with the polygon rings in the
  JSON path as **[lat, lng]** pairs.
* ``cahyadsn/wilayah`` — ``db/wilayah.sql`` (``('code','name')`` rows for all four levels),
  ``db/wilayah_penduduk.sql`` (``kode,nama,pria,wanita,total``) and ``db/wilayah_luas.sql``
  (``kode,nama,luas``).

Conversion steps (same as the shared data): swap to [lng, lat]; repair invalid geometries
(each part made valid, polygonal parts kept, all parts unioned into one MultiPolygon);
snap to a 1e-6 degree grid and re-validate; counter-clockwise outer rings; ``name`` (and
``kind``) from the official code list; codes are always strings.

This module does no I/O beyond reading the given files and writing the given outputs.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.codes import parent_code
from geo.fetch.shapes import clean_geometry, path_to_parts
from geo.fetch.sql import (
    AREA_SOURCE,
    BOUNDARY_COLUMNS,
    CRS,
    LEVELS,
    POP_SOURCE,
    POPULATION_AREA_COLUMNS,
    REGION_COLUMNS,
    UpstreamFormatError,
    iter_boundary_rows,
    iter_value_rows,
    level_of,
    regency_kind,
    village_kind,
)

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------
# Code list (wilayah.sql)
# --------------------------------------------------------------------------------------
def read_code_list(path: Path) -> dict[str, str]:
    """{code: official name} for all levels of ``db/wilayah.sql``."""
    names: dict[str, str] = {}
    for row in iter_value_rows(path):
        if len(row) < 2 or row[0] is None or row[1] is None:
            continue
        code = row[0].strip()
        if level_of(code) is None:
            continue
        names[code] = " ".join(row[1].split())
    if not names:
        raise UpstreamFormatError(f"{path.name}: no code rows")
    return names


def region_tables(names: dict[str, str]) -> dict[str, pd.DataFrame]:
    """The four ``regions/*.csv`` tables from the code list."""
    rows: dict[str, list[dict]] = {lvl: [] for lvl in LEVELS}
    for code in sorted(names):
        lvl = level_of(code)
        r = {"code": code, "name": names[code]}
        if lvl == "regency":
            r.update(province_code=code[:2], kind=regency_kind(code))
        elif lvl == "district":
            r.update(regency_code=code[:5], province_code=code[:2])
        elif lvl == "village":
            r.update(district_code=code[:8], regency_code=code[:5], province_code=code[:2],
                     kind=village_kind(code))
        rows[lvl].append(r)
    return {lvl: pd.DataFrame(rows[lvl], columns=REGION_COLUMNS[lvl], dtype=str)
            for lvl in LEVELS}


# --------------------------------------------------------------------------------------
# Boundary layers
# --------------------------------------------------------------------------------------
def read_boundaries(files: Iterable[Path], level: str, names: dict[str, str] | None = None,
                    provinces: set[str] | None = None,
                    overrides: dict[str, shapely.MultiPolygon] | None = None) -> gpd.GeoDataFrame:
    """Parse and convert boundary SQL files of one level into the data-dir columns."""
    records, geoms, seen = [], [], set()
    for path in files:
        for row in iter_boundary_rows(Path(path)):
            code = row.code
            if level_of(code) != level:
                log.warning("%s: code %r is not a %s code, skipped", Path(path).name, code, level)
                continue
            if provinces and code[:2] not in provinces:
                continue
            if code in seen:
                log.warning("%s: duplicate code %s, first row kept", Path(path).name, code)
                continue
            if overrides and code in overrides:
                geom = overrides[code]
            else:
                geom = clean_geometry(path_to_parts(row.path))
            if geom is None:
                log.info("%s: %s has no polygon (empty path)", Path(path).name, code)
                continue
            seen.add(code)
            name = (names or {}).get(code)
            if name is None:
                if names:
                    log.warning("%s: %s not in the code list, source name kept", Path(path).name, code)
                name = " ".join(row.name.split())
            rec = {"code": code, "name": name, "level": level, "parent_code": parent_code(code)}
            if level == "regency":
                rec["kind"] = regency_kind(code)
            elif level == "village":
                rec.update(regency_code=code[:5], province_code=code[:2], kind=village_kind(code))
            records.append(rec)
            geoms.append(geom)
    df = pd.DataFrame(records, columns=BOUNDARY_COLUMNS[level])
    for col in df.columns:
        df[col] = df[col].astype(object)
    gdf = gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, crs=CRS), crs=CRS)
    return gdf.sort_values("code", kind="stable").reset_index(drop=True)


def geodesic_area_km2(geom) -> float:
    from pyproj import Geod
    area, _ = Geod(ellps="WGS84").geometry_area_perimeter(geom)
    return abs(area) / 1e6


def read_single_geometry(path: Path, code: str) -> shapely.MultiPolygon | None:
    for row in iter_boundary_rows(Path(path)):
        if row.code == code:
            return clean_geometry(path_to_parts(row.path))
    return None


# --------------------------------------------------------------------------------------
# Population and area (wilayah_penduduk.sql, wilayah_luas.sql)
# --------------------------------------------------------------------------------------
def _norm_name(name: str) -> str:
    s = " ".join(name.lower().split())
    return re.sub(r"^kab\.?\s", "kabupaten ", s)


def _repair_code(code: str, name: str, names: dict[str, str]) -> str | None:
    """Codes stored as numbers ('11.1' for '11.10', '31.0' for '31') repaired by name."""
    if code in names:
        return code
    target = _norm_name(name)
    for cand in (c for c in names if c[:2] == code[:2] and len(c) <= 5):
        if _norm_name(names[cand]) == target:
            log.info("wilayah_luas: code %s repaired to %s by name", code, cand)
            return cand
    return None


def population_area(penduduk: Path, luas: Path, names: dict[str, str]) -> pd.DataFrame:
    """``indicators/population_area_2024.csv``: provinces and regencies."""
    pop: dict[str, tuple[int, int, int]] = {}
    for row in iter_value_rows(penduduk):
        code = (row[0] or "").strip()
        if code in names and len(code) <= 5 and len(row) >= 5:
            pop[code] = (int(float(row[2])), int(float(row[3])), int(float(row[4])))
    area: dict[str, str] = {}
    for row in iter_value_rows(luas):
        code = _repair_code((row[0] or "").strip(), row[1] or "", names)
        if code is not None and len(row) >= 3 and row[2] is not None:
            area[code] = row[2]
    rows = []
    for code in sorted(c for c in names if len(c) <= 5):
        if code not in pop and code not in area:
            continue
        p = pop.get(code)
        rows.append({
            "code": code, "name": names[code],
            "level": "province" if len(code) == 2 else "regency",
            "parent_code": None if len(code) == 2 else code[:2],
            "area_km2": area.get(code),
            "pop_male": p[0] if p else None, "pop_female": p[1] if p else None,
            "pop_total": p[2] if p else None,
            "pop_source": POP_SOURCE if p else None,
            "area_source": AREA_SOURCE if code in area else None,
        })
    df = pd.DataFrame(rows, columns=POPULATION_AREA_COLUMNS)
    for col in ("pop_male", "pop_female", "pop_total"):
        df[col] = df[col].astype("Int64")
    return df


# --------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------
def write_csv(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, lineterminator="\n")


def write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    gdf.to_file(path, driver="GeoJSON", engine="pyogrio",
                layer_options={"COORDINATE_PRECISION": 6, "RFC7946": "YES", "WRITE_NAME": "NO"})


def write_parquet(gdf: gpd.GeoDataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    gdf.to_parquet(path, index=False, compression="zstd", schema_version="1.1.0",
                   write_covering_bbox=False)


def read_layer(path: Path) -> gpd.GeoDataFrame:
    if path.suffix == ".parquet":
        gdf = gpd.read_parquet(path)
    else:
        gdf = gpd.read_file(path, engine="pyogrio")
    for col in gdf.columns:
        if col != gdf.geometry.name:
            gdf[col] = gdf[col].astype(object).where(gdf[col].notna(), None)
    return gdf


def merge_layer(new: gpd.GeoDataFrame, old_path: Path | None, provinces: set[str]) -> gpd.GeoDataFrame:
    """Rows of an existing layer for provinces not fetched now, plus the new rows."""
    if old_path is None or not old_path.exists():
        return new
    try:
        old = read_layer(old_path)
    except Exception as exc:  # unreadable old file: replace it
        log.warning("%s unreadable (%s), replaced", old_path, exc)
        return new
    keep = old[~old["code"].astype(str).str[:2].isin(provinces)]
    if keep.empty:
        return new
    keep = keep[[c for c in new.columns if c in keep.columns]]
    merged = pd.concat([keep.to_crs(CRS) if keep.crs else keep.set_crs(CRS), new], ignore_index=True)
    merged = gpd.GeoDataFrame(merged, geometry="geometry", crs=CRS)
    return merged.sort_values("code", kind="stable").reset_index(drop=True)
