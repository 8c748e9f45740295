"""Reading polygon files (GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ) in any CRS.

* A zip is checked (geo.importers.safety) and only the vector members are extracted into
  a private temporary folder; exactly one dataset must be inside (or name it with ``layer``).
* CRS: taken from the file (.prj, GeoPackage, KML = WGS 84); reprojected to EPSG:4326.
  No CRS: refused with an explanation, unless the coordinates are plainly degrees in
  Indonesia's area (then WGS 84 is assumed and a note says so), or the caller names one.
* Field names are matched case-insensitively by the importers.
* Cost: a file with more vertices than ``safety.max_vertices_file()`` is refused before
  it is reprojected; ``geometry_findings`` refuses a feature above
  ``safety.max_vertices()`` before any validity check or repair (GEOS's validity check is
  quadratic on spiky shapes).
* Where: a feature must touch Indonesia's area (``EXTENT``); a boundary must lie inside
  the national extent (``geo.registry.schema`` LON_RANGE/LAT_RANGE), and no feature may
  cross the antimeridian (longitudes spanning more than 180°, or beyond ±180°).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from pyproj import CRS

from geo.geometry import polygon_parts
from geo.importers.report import REJECTED, REPAIRED, ImportRefused, finding
from geo.importers.safety import (
    check_size,
    check_type,
    extract_zip,
    max_vertices,
    max_vertices_file,
)
from geo.messages import without_paths
from geo.registry.schema import LAT_RANGE, LON_RANGE

WGS84 = "EPSG:4326"
# Indonesia with a generous margin, for "plainly degrees" and feature extent checks.
EXTENT = (90.0, -15.0, 145.0, 10.0)
_DATASET_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".kml")
_POLYGON_TYPES = {"Polygon", "MultiPolygon"}


@dataclass
class VectorRead:
    frame: gpd.GeoDataFrame          # EPSG:4326, original attribute columns
    notes: list[str] = field(default_factory=list)
    source_crs: str | None = None


def _crs_label(crs: CRS) -> str:
    epsg = crs.to_epsg()
    return f"{crs.name} (EPSG:{epsg})" if epsg else crs.name


def _pick_dataset(folder: Path, layer: str | None) -> Path:
    found = sorted(p for p in folder.rglob("*") if p.suffix.lower() in _DATASET_SUFFIXES
                   and p.is_file())
    if not found:
        raise ImportRefused("zip tidak berisi data peta yang dikenali (.shp, .gpkg, .geojson, "
                            ".kml)")
    shp = [p for p in found if p.suffix.lower() == ".shp"]
    candidates = shp or found
    if layer:
        named = [p for p in candidates if p.stem == layer or p.name == layer]
        if named:
            return named[0]
    if len(candidates) > 1:
        raise ImportRefused("zip berisi lebih dari satu data peta: "
                            + ", ".join(p.name for p in candidates)
                            + ". Unggah satu data per zip atau pilih lapisannya.")
    path = candidates[0]
    if path.suffix.lower() == ".shp":
        siblings = {q.suffix.lower() for q in path.parent.iterdir() if q.stem == path.stem}
        missing = [ext for ext in (".shx", ".dbf") if ext not in siblings]
        if missing:
            raise ImportRefused(f"shapefile {path.name} tidak lengkap: berkas "
                                f"{', '.join(missing)} tidak ada di zip")
    return path


def _pick_layer(path: Path, layer: str | None) -> tuple[str | None, list[str]]:
    try:
        layers = pyogrio.list_layers(path)
    except Exception as exc:
        raise ImportRefused(f"berkas peta tidak dapat dibaca ({without_paths(exc)})") from None
    names = [str(n) for n, _ in layers]
    if layer and layer in names:
        return layer, names
    poly = [str(n) for n, g in layers if g and "polygon" in str(g).lower()]
    return (poly[0] if poly else (names[0] if names else None)), names


def read_vector(path: str | Path, kind: str, *, crs: str | None = None,
                layer: str | None = None) -> VectorRead:
    """Read one polygon dataset and return it in EPSG:4326 with notes for the report."""
    path = Path(path)
    check_size(path)
    ext = check_type(path, kind)
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="peta-import-") as tmp:
        target = path
        if ext in (".zip", ".kmz"):
            extract_zip(path, tmp)
            target = _pick_dataset(Path(tmp), layer)
            notes.append(f"Dibaca dari zip: {target.name}.")
        lyr, names = _pick_layer(target, layer)
        if len(names) > 1:
            notes.append(f"Lapisan yang dibaca: '{lyr}' (lapisan lain: "
                         f"{', '.join(n for n in names if n != lyr)}).")
        try:
            gdf = pyogrio.read_dataframe(target, layer=lyr)
        except Exception as exc:
            raise ImportRefused(f"berkas peta tidak dapat dibaca ({without_paths(exc)})") from None
    if len(gdf) == 0:
        raise ImportRefused("berkas peta tidak berisi fitur")
    total, limit = int(shapely.get_num_coordinates(gdf.geometry.values).sum()), max_vertices_file()
    if total > limit:
        raise ImportRefused(
            f"berkas berisi {_n(total)} titik sudut poligon (batas {_n(limit)} per berkas); "
            "sederhanakan poligonnya (misalnya Simplify di QGIS atau mapshaper) atau pecah "
            "berkas per wilayah, atau minta admin menaikkan PETA_MAX_VERTICES_FILE.")
    source_crs = None
    if gdf.crs is None:
        if crs:
            gdf = gdf.set_crs(crs, allow_override=True)
        else:
            b = gdf.total_bounds
            degrees = (np.all(np.isfinite(b)) and -180 <= b[0] and b[2] <= 180
                       and -90 <= b[1] and b[3] <= 90
                       and b[0] < EXTENT[2] and b[2] > EXTENT[0]
                       and b[1] < EXTENT[3] and b[3] > EXTENT[1])
            if not degrees:
                raise ImportRefused(
                    "berkas tidak memiliki informasi sistem koordinat (berkas .prj tidak ada) "
                    f"dan koordinatnya bukan derajat (contoh x={b[0]:.0f}, y={b[1]:.0f}; "
                    "kemungkinan UTM atau TM-3 dalam meter). Sertakan berkas .prj di dalam zip, "
                    "atau sebutkan sistem koordinatnya (misalnya EPSG:32749 untuk UTM 49S, "
                    "EPSG:32750 untuk UTM 50S, EPSG:23835 untuk TM-3 zona 49.1).")
            gdf = gdf.set_crs(WGS84)
            notes.append("Berkas tanpa informasi sistem koordinat; koordinatnya berupa derajat "
                         "di wilayah Indonesia sehingga dianggap WGS 84 (EPSG:4326).")
    elif crs:
        notes.append(f"Sistem koordinat berkas ({_crs_label(gdf.crs)}) dipakai; pilihan "
                     f"{crs} diabaikan.")
    source_crs = _crs_label(CRS.from_user_input(gdf.crs))
    if CRS.from_user_input(gdf.crs).to_epsg() != 4326:
        try:
            gdf = gdf.to_crs(WGS84)
        except Exception as exc:
            raise ImportRefused(f"sistem koordinat {source_crs} tidak dapat diubah ke WGS 84 "
                                f"({without_paths(exc)})") from None
        notes.append(f"Sistem koordinat asal {source_crs}; diproyeksikan ulang ke WGS 84 "
                     "(EPSG:4326).")
    else:
        notes.append("Sistem koordinat: WGS 84 (EPSG:4326).")
    if gdf.geometry.has_z.any():
        gdf = gdf.set_geometry(shapely.force_2d(gdf.geometry.values), crs=WGS84)
    return VectorRead(gdf, notes, source_crs)


def find_field(columns, names) -> str | None:
    """The first column whose lower-case name is one of ``names`` (in that order)."""
    lower = {str(c).lower(): c for c in columns if c != "geometry"}
    for n in names:
        if n.lower() in lower:
            return lower[n.lower()]
    return None


def polygon_problem(geom) -> str | None:
    """Why a geometry cannot be a region polygon (Indonesian), or None."""
    if geom is None or shapely.is_missing(geom) or geom.is_empty:
        return "geometri kosong"
    if geom.geom_type == "GeometryCollection":
        if any(p.geom_type in _POLYGON_TYPES for p in shapely.get_parts(geom)):
            return None
    if geom.geom_type not in _POLYGON_TYPES:
        return f"geometri {geom.geom_type} bukan poligon"
    return None


def only_polygons(geom):
    """A collection becomes the union of its polygonal parts; anything else is kept."""
    if geom.geom_type == "GeometryCollection":
        return shapely.union_all(polygon_parts(geom))
    return geom


def dropped_parts_finding(row: int, geom) -> dict | None:
    """A ``diperbaiki`` finding naming the point/line parts of a GeometryCollection that
    ``only_polygons`` leaves out, or None."""
    if geom is None or geom.geom_type != "GeometryCollection":
        return None
    dropped: dict[str, int] = {}
    for part in shapely.get_parts(geom):
        for sub in shapely.get_parts(part):   # nested multi-parts
            if sub.geom_type not in _POLYGON_TYPES and not sub.is_empty:
                dropped[sub.geom_type] = dropped.get(sub.geom_type, 0) + 1
    if not dropped:
        return None
    what = ", ".join(f"{n} {t}" for t, n in sorted(dropped.items()))
    return finding(row, "geometry", "", f"GeometryCollection: bagian bukan poligon dibuang "
                   f"({what}); hanya bagian poligon yang dipakai", REPAIRED)


def _n(v: int) -> str:
    return f"{v:,}".replace(",", ".")


def outside_extent(geom) -> bool:
    minx, miny, maxx, maxy = geom.bounds
    return maxx < EXTENT[0] or minx > EXTENT[2] or maxy < EXTENT[1] or miny > EXTENT[3]


def beyond_national_extent(geom) -> bool:
    """True when part of the geometry lies outside Indonesia's extent (Sabang–Merauke,
    Miangas–Rote, with the margin of geo.registry.schema)."""
    minx, miny, maxx, maxy = geom.bounds
    return (minx < LON_RANGE[0] or maxx > LON_RANGE[1] or miny < LAT_RANGE[0]
            or maxy > LAT_RANGE[1])


def crosses_antimeridian(geom) -> bool:
    """Longitudes beyond ±180° or spanning more than 180° (a polygon drawn across the
    antimeridian, or one covering the whole world)."""
    minx, _, maxx, _ = geom.bounds
    return minx < -180 or maxx > 180 or maxx - minx > 180


def geometry_findings(row: int, geom, *, value="", within_indonesia: bool = False
                      ) -> list[dict]:
    """Rejections of a feature's geometry, cheapest first and all before any validity check
    or repair: not a polygon, more vertices than ``max_vertices()``, NaN or infinite
    coordinates, across the antimeridian, outside Indonesia (``within_indonesia``: any part
    beyond the national extent, for boundaries; else not touching Indonesia's area).
    ``value`` (e.g. the region code) goes into the report's ``nilai`` of the vertex,
    coordinate, antimeridian and national-extent findings."""
    why = polygon_problem(geom)
    if why:
        return [finding(row, "geometry", "", why, REJECTED)]
    n, limit = int(shapely.get_num_coordinates(geom)), max_vertices()
    if n > limit:
        return [finding(row, "geometry", value,
                        f"poligon terlalu rumit: {_n(n)} titik sudut (batas {_n(limit)} per "
                        "fitur); sederhanakan poligonnya (misalnya Simplify di QGIS atau "
                        "mapshaper) atau minta admin menaikkan PETA_MAX_VERTICES", REJECTED)]
    if not np.isfinite(shapely.get_coordinates(geom)).all():
        return [finding(row, "geometry", value, "koordinat poligon tidak sah (NaN atau tak "
                        "hingga)", REJECTED)]
    if crosses_antimeridian(geom):
        return [finding(row, "geometry", value,
                        "poligon melintasi garis bujur 180° (antimeridian) atau membentang "
                        "lebih dari 180° bujur; bukan wilayah Indonesia (periksa sistem "
                        "koordinat)", REJECTED)]
    if outside_extent(geom):
        return [finding(row, "geometry", "", "poligon berada di luar wilayah Indonesia "
                        "(periksa sistem koordinat)", REJECTED)]
    if within_indonesia and beyond_national_extent(geom):
        minx, miny, maxx, maxy = geom.bounds
        return [finding(row, "geometry", value,
                        f"poligon keluar dari wilayah Indonesia (batas {minx:.2f}, {miny:.2f}, "
                        f"{maxx:.2f}, {maxy:.2f} derajat; Indonesia {LON_RANGE[0]:g}–"
                        f"{LON_RANGE[1]:g} BT, {LAT_RANGE[0]:g}–{LAT_RANGE[1]:g} LU/LS); periksa "
                        "sistem koordinat", REJECTED)]
    return []


def repair(geom) -> tuple[object, str | None]:
    """(valid MultiPolygon, reason it was invalid or None)."""
    from geo.regions.boundaries import repair_geometries
    reason = None if shapely.is_valid(geom) else shapely.is_valid_reason(geom)
    fixed, _ = repair_geometries(np.array([geom], dtype=object))
    return fixed[0], reason
