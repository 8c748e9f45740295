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

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import codes
from geo.codes import FILE_LEVEL, parent_code
from geo.geometry import polygon_parts

log = logging.getLogger(__name__)

CRS = "EPSG:4326"
GRID = 1e-6
LEVELS = tuple(FILE_LEVEL.values())   # province, regency, district, village

# Columns of the data-directory files (see ../shared/data/README.md §1-§3).
REGION_COLUMNS = {
    "province": ["code", "name"],
    "regency": ["code", "province_code", "name", "kind"],
    "district": ["code", "regency_code", "province_code", "name"],
    "village": ["code", "district_code", "regency_code", "province_code", "name", "kind"],
}
BOUNDARY_COLUMNS = {
    "province": ["code", "name", "level", "parent_code"],
    "regency": ["code", "name", "level", "parent_code", "kind"],
    "district": ["code", "name", "level", "parent_code"],
    "village": ["code", "name", "level", "parent_code", "regency_code", "province_code", "kind"],
}
POPULATION_AREA_COLUMNS = ["code", "name", "level", "parent_code", "area_km2", "pop_male",
                           "pop_female", "pop_total", "pop_source", "area_source"]
POP_SOURCE = ("Dukcapil Kemendagri, Data Kependudukan Semester II (Desember) 2024, "
              "via cahyadsn/wilayah db/wilayah_penduduk.sql (MIT)")
AREA_SOURCE = ("BIG letter B-16.10/DIGD-BIG/IGD.04.04/12/2024 (16 Dec 2024), "
               "via cahyadsn/wilayah db/wilayah_luas.sql (MIT)")

VILLAGE_KIND = {"1": "kelurahan", "2": "desa", "3": "desa_adat"}


class UpstreamFormatError(ValueError):
    """An upstream file does not have the expected format."""


# --------------------------------------------------------------------------------------
# Codes
# --------------------------------------------------------------------------------------
def level_of(code: str) -> str | None:
    """'62' -> province, '62.01' -> regency, '62.01.01' -> district, '62.01.01.2001' -> village
    (the data directory's file words, geo.codes.FILE_LEVEL); None when not a code."""
    return FILE_LEVEL[codes.level_of(code)] if codes.is_code(code) else None


def regency_kind(code: str) -> str:
    """Regency codes 'PP.7x' are cities (kota), the others kabupaten."""
    return "kota" if code[3] == "7" else "kabupaten"


def village_kind(code: str) -> str:
    """The digit after the district part: 1 kelurahan, 2 desa, 3 desa adat (Papua)."""
    return VILLAGE_KIND.get(code[9], "desa")


# --------------------------------------------------------------------------------------
# SQL rows
# --------------------------------------------------------------------------------------
# A value inside a VALUES tuple: a quoted string ('' escapes a quote), a number or NULL.
_VALUE_RE = re.compile(r"\s*(?:'((?:[^'\\]|''|\\.)*)'|(NULL|null)|([-+0-9.eE]+))\s*(,|\))")
# Boundary row: ('code','name',lat,lng,'path') - the path holds no quotes, fast path.
_BOUNDARY_RE = re.compile(
    r"^\s*\(\s*'([0-9.]*)'\s*,\s*'((?:[^']|'')*)'\s*,\s*([-+0-9.eE]+|NULL)\s*,"
    r"\s*([-+0-9.eE]+|NULL)\s*,\s*'([^']*)'\s*\)\s*[,;]?\s*$")


def _unquote(s: str) -> str:
    return s.replace("''", "'").replace("\\'", "'")


def parse_values_line(line: str) -> list[str | None] | None:
    """Parse one ``(v1, v2, ...),`` line of an INSERT ... VALUES block, or return None."""
    s = line.strip()
    if not s.startswith("("):
        return None
    pos, out = 1, []
    while True:
        m = _VALUE_RE.match(s, pos)
        if not m:
            return None
        if m.group(1) is not None:
            out.append(_unquote(m.group(1)))
        elif m.group(2) is not None:
            out.append(None)
        else:
            out.append(m.group(3))
        pos = m.end()
        if m.group(4) == ")":
            return out


def _lines(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8-sig", errors="strict", newline=None) as fh:
        yield from fh


def iter_value_rows(path: Path) -> Iterator[list[str | None]]:
    for line in _lines(path):
        if line.lstrip().startswith("("):
            row = parse_values_line(line)
            if row is None:
                raise UpstreamFormatError(f"{path.name}: unreadable row: {line[:80]!r}")
            yield row


@dataclass
class BoundaryRow:
    code: str
    name: str
    path: str


def iter_boundary_rows(path: Path) -> Iterator[BoundaryRow]:
    """Rows of a wilayah_boundaries SQL file."""
    n = 0
    for line in _lines(path):
        if not line.lstrip().startswith("("):
            continue
        m = _BOUNDARY_RE.match(line)
        if not m:
            raise UpstreamFormatError(f"{path.name}: unreadable boundary row: {line[:80]!r}")
        n += 1
        yield BoundaryRow(m.group(1), _unquote(m.group(2)).strip(), m.group(5))
    if n == 0:
        raise UpstreamFormatError(f"{path.name}: no boundary rows")


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
