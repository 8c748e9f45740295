"""Hazard zones (BPBD/InaRISK exports): polygons with a hazard type and a class
rendah/sedang/tinggi, any CRS (see geo.importers.vector).

Hazard type: the caller's ``jenis`` for the whole file (one of the ten InaRISK types of
geo.hazards.types; anything else is refused), else a field (``jenis``, ``bahaya``,
``hazard``…), else the file name (``INDEKS_BAHAYA_BANJIR.zip`` → banjir, noted). Field
values are normalised to the InaRISK ids; other text is kept with a warning (counted only
in "semua bahaya"). A GeoTIFF (.tif) goes to geo.hazards.raster instead (``raster``).
Class: ``rendah``/``sedang``/``tinggi`` (also low/medium/high, 1/2/3); ``sangat rendah`` and
``sangat tinggi`` folded into rendah/tinggi, and an InaRISK index 0–1 classed with
InaRISK's thresholds (< 0,333 rendah, < 0,666 sedang, else tinggi) — both reported as
``diperbaiki``; anything else is rejected.

Output (EPSG:4326), the zone schema of geo.hazards.zones: id (``<file>-<feature>``), jenis
(``banjir``, ``tanah_longsor``, … — underscores), kelas, sumber (file name), sampel (False),
geometry (MultiPolygon), plus baris (feature number).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.hazards import types as ht
from geo.importers.report import REJECTED, REPAIRED, WARNING, ImportRefused, ImportReport, finding
from geo.importers.vector import (
    WGS84,
    dropped_parts_finding,
    find_field,
    geometry_findings,
    only_polygons,
    read_vector,
    repair,
)

KIND = "bahaya"
CLASSES = ("rendah", "sedang", "tinggi")
TYPE_FIELDS = ("jenis_bahaya", "jenis", "bahaya", "hazard", "hazard_type", "bencana", "tipe",
               "type", "kategori")
CLASS_FIELDS = ("kelas", "kelas_bahaya", "class", "tingkat", "tingkat_bahaya", "kls",
                "indeks_bahaya", "indeks", "index", "gridcode", "grid_code", "value")
_CLASS_WORDS = {"rendah": "rendah", "low": "rendah", "r": "rendah", "1": "rendah",
                "sedang": "sedang", "medium": "sedang", "moderate": "sedang", "s": "sedang",
                "2": "sedang", "tinggi": "tinggi", "high": "tinggi", "t": "tinggi",
                "3": "tinggi"}


RASTER_SUFFIXES = (".tif", ".tiff")


@dataclass
class HazardImport:
    data: gpd.GeoDataFrame
    report: ImportReport
    fields: dict[str, str | None]
    raster: object = None          # geo.hazards.raster.HazardRaster for a GeoTIFF


COLUMNS = ["id", "jenis", "kelas", "sumber", "sampel", "baris"]


def _empty() -> gpd.GeoDataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)


def hazard_type(text) -> str | None:
    """One of the ten InaRISK type ids (geo.hazards.types) named in ``text``, or None."""
    return ht.recognise(text)


def _slug(text) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(text).strip().lower()).strip("_")


def hazard_class(value, breaks=ht.DEFAULT_BREAKS) -> tuple[str | None, str | None]:
    """(class, note when changed) — class None when unreadable. An index 0–1 is classed
    with ``breaks`` (default InaRISK's 0.333/0.666)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None, None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        f = float(value)
        if f in (1.0, 2.0, 3.0):
            return CLASSES[int(f) - 1], None
        if 0.0 <= f <= 1.0:
            cls = CLASSES[int(ht.class_of_index([f], breaks)[0]) - 1]
            why = "ambang InaRISK" if tuple(breaks) == ht.DEFAULT_BREAKS else \
                f"ambang {breaks[0]:g}/{breaks[1]:g}"
            return cls, f"indeks {f:g} diklasifikasikan menjadi '{cls}' ({why})"
        return None, None
    s = re.sub(r"\s+", " ", str(value).strip().lower().replace("_", " "))
    s = re.sub(r"^(kelas|bahaya|tingkat)\s+", "", s)
    if s in _CLASS_WORDS:
        return _CLASS_WORDS[s], None
    if s in ("sangat rendah", "very low"):
        return "rendah", "'sangat rendah' digolongkan 'rendah'"
    if s in ("sangat tinggi", "very high"):
        return "tinggi", "'sangat tinggi' digolongkan 'tinggi'"
    try:
        return hazard_class(float(s.replace(",", ".")), breaks)
    except ValueError:
        return None, None


def import_hazards(path: str | Path, *, jenis: str | None = None, crs: str | None = None,
                   layer: str | None = None, type_field: str | None = None,
                   class_field: str | None = None, source_name: str | None = None,
                   breaks=None) -> HazardImport:
    """Polygon zones (GeoJSON, zipped Shapefile, GPKG, KML) or a GeoTIFF raster. ``jenis``
    is the hazard type of the whole file (else read from a field or the file name);
    ``breaks`` class index values (default InaRISK's, a raster's own legend overrides)."""
    path = Path(path)
    source = source_name or path.name
    if path.suffix.lower() in RASTER_SUFFIXES:
        return import_raster(path, jenis=jenis, crs=crs, source_name=source, breaks=breaks)
    if jenis and hazard_type(jenis) is None:
        return HazardImport(_empty(), ImportReport.refused(
            KIND, source, f"jenis bahaya '{jenis}' tidak dikenal; pilihan: "
                          f"{', '.join(ht.ORDER)}"), {})
    try:
        breaks = ht.check_breaks(breaks) if breaks is not None else ht.DEFAULT_BREAKS
    except ValueError as exc:
        return HazardImport(_empty(), ImportReport.refused(KIND, source, str(exc)), {})
    try:
        read = read_vector(path, KIND, crs=crs, layer=layer)
    except ImportRefused as exc:
        return HazardImport(_empty(), ImportReport.refused(KIND, source, str(exc)), {})
    gdf = read.frame
    cols = list(gdf.columns)
    fields = {"jenis": type_field if type_field in cols else find_field(cols, TYPE_FIELDS),
              "kelas": class_field if class_field in cols else find_field(cols, CLASS_FIELDS)}
    notes = list(read.notes)
    notes.append(f"Kolom jenis bahaya: {fields['jenis'] or '(tidak ada)'}; kolom kelas: "
                 f"{fields['kelas'] or '(tidak ada)'}.")
    default_type = hazard_type(jenis)
    if fields["jenis"] is None and default_type is None:
        default_type = hazard_type(Path(source).stem)
        if default_type:
            notes.append(f"Jenis bahaya '{default_type}' diambil dari nama berkas.")
    fatal = None
    if fields["kelas"] is None:
        fatal = (f"kolom kelas bahaya (rendah/sedang/tinggi) tidak ditemukan; kolom yang ada: "
                 f"{', '.join(c for c in cols if c != 'geometry')}")
    elif fields["jenis"] is None and default_type is None:
        fatal = "jenis bahaya tidak diketahui; sebutkan jenisnya (misalnya banjir, tanah longsor)"
    if fatal:
        return HazardImport(_empty(), ImportReport.build(KIND, source, len(gdf), [], [
            finding(0, "", "", fatal, REJECTED)], notes, fatal=fatal), fields)

    findings, kept = [], []
    attrs = gdf.drop(columns="geometry").to_dict("records")
    for i, row in enumerate(attrs):
        n, rf = i + 1, []
        geom = gdf.geometry.iloc[i]
        jenis_v = default_type
        if fields["jenis"]:
            raw = row.get(fields["jenis"])
            if raw is None or (isinstance(raw, float) and np.isnan(raw)) or not str(raw).strip():
                if default_type is None:
                    rf.append(finding(n, fields["jenis"], "", "jenis bahaya kosong", REJECTED))
            else:
                jenis_v = hazard_type(raw)
                if jenis_v is None:
                    jenis_v = _slug(raw)
                    rf.append(finding(n, fields["jenis"], raw, "jenis bahaya tidak dikenal; "
                                      "disimpan apa adanya", WARNING))
        raw_cls = row.get(fields["kelas"])
        cls, note = hazard_class(raw_cls, breaks)
        if cls is None:
            rf.append(finding(n, fields["kelas"], raw_cls, "kelas bahaya harus rendah, sedang "
                              "atau tinggi", REJECTED))
        elif note:
            rf.append(finding(n, fields["kelas"], raw_cls, note, REPAIRED))
        rf.extend(geometry_findings(n, geom))
        if any(f["tingkat"] == REJECTED for f in rf):
            findings.extend(rf)
            continue
        dropped = dropped_parts_finding(n, geom)
        if dropped:
            rf.append(dropped)
        geom, reason = repair(only_polygons(geom))
        if reason:
            rf.append(finding(n, "geometry", "", f"geometri tidak valid ({reason}); diperbaiki",
                              REPAIRED))
        findings.extend(rf)
        kept.append({"id": f"{Path(source).stem}-{n}", "jenis": jenis_v, "kelas": cls,
                     "sumber": source, "sampel": False, "baris": n, "geometry": geom})
    if kept:
        df = pd.DataFrame(kept)
        data = gpd.GeoDataFrame(df[COLUMNS], geometry=list(df["geometry"]), crs=WGS84)
    else:
        data = _empty()
    report = ImportReport.build(KIND, source, len(gdf), [k["baris"] for k in kept], findings,
                                notes)
    return HazardImport(data, report, fields)


def import_raster(path: Path, *, jenis: str | None = None, crs: str | None = None,
                  source_name: str | None = None, breaks=None) -> HazardImport:
    """A GeoTIFF index or class raster (geo.hazards.raster): the report counts its cells."""
    from geo.hazards.raster import RasterRefused, read_raster
    from geo.importers.safety import check_size, check_type
    source = source_name or path.name
    try:
        check_size(path)
        check_type(path, KIND)
        raster = read_raster(path, jenis, breaks=breaks, crs=crs, source_name=source)
    except (ImportRefused, RasterRefused, ValueError) as exc:
        return HazardImport(_empty(), ImportReport.refused(KIND, source, str(exc)), {})
    counts = raster.counts()
    notes = [*raster.notes, f"Raster {raster.shape[1]} × {raster.shape[0]} sel, jenis "
             f"{raster.jenis}; sel per kelas: " + ", ".join(f"{k} {v}" for k, v in counts.items())]
    classed = sum(counts[k] for k in CLASSES)
    findings = [finding(0, "band 1", "", w, WARNING) for w in raster.warnings]
    report = ImportReport.build(KIND, source, 1, [1] if classed else [], findings, notes,
                                fatal=None if classed else "tidak ada sel berkelas bahaya")
    return HazardImport(_empty(), report, {}, raster)
