"""Site points for connectivity planning: candidate tower/VSAT locations, or existing and
already-funded sites (CSV, XLSX or GeoJSON of points).

Columns (CSV/XLSX, names matched like the Posyandu registry's): ``lat`` and ``lon``
(required; decimal or DMS, LU/LS/BT/BB), ``site_id`` (optional; ``S<row>`` when empty),
``nama`` and ``kode_desa`` (optional). GeoJSON: Point features; the same names are looked
up among the properties.

Each rejected row is named in the report with its problem (no/unreadable coordinates,
outside Indonesia, duplicate id, not a point); swapped lat/lon and DMS values are repaired
and reported; valid rows are always kept.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo.codes import is_code, level_of, normalize_code
from geo.importers.coords import parse_point
from geo.importers.header import find_header
from geo.importers.report import REJECTED, REPAIRED, WARNING, ImportRefused, ImportReport, finding
from geo.importers.safety import check_type
from geo.importers.schemas import SchemaError, enforce
from geo.importers.table import read_cells
from geo.messages import without_paths
from geo.registry.schema import in_extent, is_blank

KIND = "situs"
COLUMNS = ["site_id", "nama", "kode_desa", "lon", "lat", "baris"]
ALIASES: dict[str, tuple[str, ...]] = {
    "site_id": ("id", "id situs", "id lokasi", "kode situs", "kode lokasi", "site", "site id",
                "id bts", "kode bts", "no", "nomor"),
    "nama": ("nama", "nama situs", "nama lokasi", "lokasi", "name", "nama bts", "keterangan"),
    "kode_desa": ("kode desa", "kd desa", "kode kemendagri", "kode wilayah", "village code"),
    "lat": ("lintang", "latitude", "lat", "y", "koordinat lintang", "koordinat y"),
    "lon": ("bujur", "longitude", "long", "lng", "lon", "x", "koordinat bujur", "koordinat x"),
}


@dataclass
class SiteImport:
    data: pd.DataFrame        # COLUMNS
    report: ImportReport


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=COLUMNS)


def _text(v) -> str | None:
    if is_blank(v):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _rows_from_table(path: Path) -> tuple[list[tuple[int, dict]], list[str]]:
    table = read_cells(path)
    header = find_header(table, ALIASES, required=("lat", "lon"))
    fidx = header.field_index()
    missing = [f for f in ("lat", "lon") if f not in fidx]
    if missing:
        raise ImportRefused("kolom koordinat tidak ditemukan: "
                            + ", ".join({"lat": "lintang (lat)", "lon": "bujur (lon)"}[m]
                                        for m in missing)
                            + f". Judul kolom yang dibaca (baris {header.rows[0]}): "
                            + ", ".join(c.label for c in header.columns))
    notes = list(table.notes) + ["Pemetaan kolom: " + "; ".join(
        f"'{c.label}' → {c.field}" for c in header.columns if c.field) + "."]
    rows = [(rownum, {f: (values[i] if i < len(values) else None) for f, i in fidx.items()})
            for rownum, values in table.rows[header.data_start:]]
    return rows, notes


def _rows_from_geojson(path: Path) -> tuple[list[tuple[int, dict]], list[str]]:
    import pyogrio
    try:
        gdf = pyogrio.read_dataframe(path)
    except Exception as exc:
        raise ImportRefused(f"berkas GeoJSON tidak dapat dibaca ({without_paths(exc)})") from None
    if len(gdf) == 0:
        raise ImportRefused("berkas GeoJSON tidak berisi fitur")
    notes = []
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs("EPSG:4326")
        notes.append("Sistem koordinat diproyeksikan ulang ke WGS 84 (EPSG:4326).")
    lower = {str(c).lower(): c for c in gdf.columns if c != "geometry"}
    pick = {}
    for fld in ("site_id", "nama", "kode_desa"):
        for name in (fld, *ALIASES[fld]):
            if name.replace(" ", "_") in lower or name in lower:
                pick[fld] = lower.get(name.replace(" ", "_"), lower.get(name))
                break
    rows = []
    for i, (geom, rec) in enumerate(zip(gdf.geometry, gdf.to_dict("records")), start=1):
        row = {f: rec.get(c) for f, c in pick.items()}
        if geom is None or geom.is_empty:
            row["_geom"] = "fitur tanpa geometri"
        elif geom.geom_type == "MultiPoint" and len(geom.geoms) == 1:
            geom = geom.geoms[0]
        if geom is not None and not geom.is_empty:
            if geom.geom_type != "Point":
                row["_geom"] = f"geometri {geom.geom_type} bukan titik"
            else:
                row["lon"], row["lat"] = float(geom.x), float(geom.y)
        rows.append((i, row))
    return rows, notes


def import_sites(path: str | Path, *, source_name: str | None = None,
                 prefix: str = "S") -> SiteImport:
    """Read a site file; never raises for bad rows (a file that cannot be read at all
    gives an empty result whose report has ``fatal`` set)."""
    path = Path(path)
    source = source_name or path.name
    try:
        ext = check_type(path, KIND)
        if ext in (".geojson", ".json"):
            from geo.importers.safety import check_size
            check_size(path)
            rows, notes = _rows_from_geojson(path)
        else:
            rows, notes = _rows_from_table(path)
    except ImportRefused as exc:
        return SiteImport(_empty(), ImportReport.refused(KIND, source, str(exc)))
    findings: list[dict] = []
    out: list[dict] = []
    seen: dict[str, int] = {}
    for rownum, rec in rows:
        bad = []
        if rec.get("_geom"):
            findings.append(finding(rownum, "geometry", "", rec["_geom"] + "; tidak diimpor",
                                    REJECTED))
            continue
        parsed, unreadable = parse_point(rec)
        bad = [finding(rownum, axis, raw, msg, REJECTED) for axis, raw, msg in unreadable]
        bad += [finding(rownum, axis, "", "koordinat kosong; baris tidak diimpor", REJECTED)
                for axis in ("lat", "lon")
                if parsed[axis] is None and axis not in {a for a, _, _ in unreadable}]
        if bad:
            findings.extend(bad)
            continue
        lat, lon = parsed["lat"].value, parsed["lon"].value
        for axis in ("lat", "lon"):
            if parsed[axis].converted:
                findings.append(finding(rownum, axis, rec[axis], "koordinat dikonversi ke "
                                        f"derajat desimal: {parsed[axis].value:.6f}", REPAIRED))
        if parsed["lat"].axis == "lon" or parsed["lon"].axis == "lat" or (
                not in_extent(lat, lon) and in_extent(lon, lat)):
            lat, lon = lon, lat
            findings.append(finding(rownum, "lat, lon", f"{rec['lat']}; {rec['lon']}",
                                    f"lintang dan bujur tertukar; ditukar menjadi lat "
                                    f"{lat:.6f}, lon {lon:.6f}", REPAIRED))
        if not in_extent(lat, lon):
            findings.append(finding(rownum, "lat, lon", f"{rec.get('lat')}; {rec.get('lon')}",
                                    "titik di luar wilayah Indonesia; periksa koordinat",
                                    REJECTED))
            continue
        sid = _text(rec.get("site_id"))
        if sid is None:
            sid = f"{prefix}{rownum}"
        if sid in seen:
            findings.append(finding(rownum, "site_id", sid, f"id situs sama dengan baris "
                                    f"{seen[sid]}; tidak diimpor", REJECTED))
            continue
        seen[sid] = rownum
        nama = _text(rec.get("nama"))
        if nama and any(ch in nama for ch in "<>"):
            findings.append(finding(rownum, "nama", nama, "nama berisi tanda < atau >; "
                                    "disimpan sebagai teks biasa", WARNING))
        raw_code = _text(rec.get("kode_desa"))
        code = normalize_code(raw_code) if raw_code else None
        if raw_code and (code is None or not is_code(code) or level_of(code) != "desa"):
            findings.append(finding(rownum, "kode_desa", raw_code, "bukan kode desa "
                                    "Kemendagri (mis. 62.03.01.2001); dikosongkan", WARNING))
            code = None
        out.append({"site_id": sid, "nama": nama, "kode_desa": code,
                    "lon": round(float(lon), 7), "lat": round(float(lat), 7),
                    "baris": rownum})
    data = pd.DataFrame(out, columns=COLUMNS)
    try:                            # the types the planner relies on (geo.importers.schemas)
        enforce(KIND, data)
    except SchemaError as exc:
        return SiteImport(_empty(), ImportReport.refused(KIND, source, str(exc)))
    report = ImportReport.build(KIND, source, len(rows), [r["baris"] for r in out], findings,
                                notes)
    return SiteImport(data, report)


def sites_problems_text(report: ImportReport, limit: int = 20) -> list[str]:
    """The report's findings as 'baris N, kolom K: pesan' lines (for the CLI)."""
    p = report.problems.head(limit)
    return [f"baris {b}, kolom {k}: {m} [{t}]" for b, k, m, t in
            zip(p["baris"], p["kolom"], p["pesan"], p["tingkat"])]

