"""Posyandu registries as offices really produce them (SIP exports, Excel lists).

Pipeline: read cells (any encoding/delimiter, XLSX title rows, merged headers) → map the
header to the schema of geo.registry.schema (known Indonesian/English names, or the user's
mapping) → normalise each row → geo.registry.schema.validate → land check → report.

What is changed, and reported as ``diperbaiki`` (the row is kept):
* coordinates written in DMS or with a hemisphere (``2°12'30" LS``) → decimal degrees;
* latitude and longitude swapped (detected by Indonesia's extent, or by LU/LS written in
  the longitude column) → swapped back;
* ``kode_desa`` without dots or stored as a number (``6271011001``) → ``62.71.01.1001``.
Decimal commas are the file's locale and are not reported row by row (a note says so).

Required columns: the name, and one way to place a row — coordinates (lat and lon), a
village code or village names. A file without id or coordinates (a SIP export, an Excel
list per village) is imported row by row: ids are generated (geo.registry.schema.generate_ids)
and rows without a point are placed by their village code (``status_titik``).

What is rejected (``ditolak``, the row is not imported): trailing/sub total rows, exact
duplicate rows, and what geo.registry.schema.validate rejects (no name, duplicate id, a row that
can be placed neither by a usable point nor by a known village code).

Bad coordinates on a row whose village code is known (unparseable, outside Indonesia, or
at sea far from land): the row is kept, its coordinates are emptied, it is flagged
``status_titik = "koordinat_ditolak"`` and the original value is reported. Without a known
code such a row cannot be placed and is rejected with that reason.

Point in the sea — decision: a point inside Indonesia's extent but outside every province
polygon (geo.regions.boundaries.boundaries("provinsi")) — at sea, or in a neighbouring country such
as Malaysia or Timor-Leste, which lie inside the extent too — is
* refused as a point when it is more than ``SEA_TOLERANCE_M`` (5 km) from the nearest land
  polygon: such a point cannot be a Posyandu, the coordinates are wrong (see above);
* kept with a warning when it is closer: the province polygons are simplified, so coastal
  villages, stilt houses and small islands can fall just outside them.

Village names instead of codes: a row without a usable ``kode_desa`` but with a village
name is matched to the Kemendagri list within its parent region — the ``parent`` passed by
the caller (the region selected on the page, ``--parent`` on the command line), narrowed by
the kecamatan/kabupaten names of the row. An exact, unambiguous match (same name after
normalisation, score 100) is applied and reported as ``diperbaiki``; a near match is
never applied: it is listed in ``PosyanduImport.suggestions`` (also for a row that is
rejected for want of a place) and applied only by the user (``apply_suggestions``, which
imports the file again with the confirmed codes).

The look-ups that place a row (distance to land, the village for a row's names) are in
geo.importers.placement; the column names a file may use in geo.importers.posyandu_columns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.codes import normalize_code
from geo.importers import names as namematch
from geo.importers.coords import parse_point
from geo.importers.header import Header, apply_mapping, find_header
from geo.importers.placement import (
    SEA_TOLERANCE_M,
    exact_match,
    land_distance_m,
    match_hint,
    suggest_village,
)
from geo.importers.posyandu_columns import (
    ALIASES,
    AUX,
    FIELD_LABELS,
    FIELDS,
    HEADER_FIELDS,
    PLACEMENT_COLUMNS,
    REQUIRED_COLUMNS,
)
from geo.importers.report import REJECTED, REPAIRED, WARNING, ImportRefused, ImportReport, finding
from geo.importers.safety import check_type
from geo.importers.table import TOTAL_RE, RawTable, read_cells
from geo.registry import schema as registry
from geo.registry.schema import is_blank

KIND = "posyandu"


@dataclass
class PosyanduImport:
    """Result of one registry import."""
    data: gpd.GeoDataFrame                 # accepted rows in the registry schema (+ baris)
    report: ImportReport
    header: Header | None = None
    suggestions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["baris", "kode_desa", "saran_kode", "saran_nama", "skor"]))
    rerun: object = None     # callable(overrides) → PosyanduImport (apply_suggestions)
    overrides: dict = field(default_factory=dict)   # row → code confirmed by the user

    @property
    def missing_required(self) -> list[str]:
        if self.header is None:
            return [*REQUIRED_COLUMNS, "kode_desa", "lat", "lon"]
        mapped = {c.field for c in self.header.columns if c.field}
        missing = [f for f in REQUIRED_COLUMNS if f not in mapped]
        if not any(all(f in mapped for f in way) for way in PLACEMENT_COLUMNS):
            missing += ["kode_desa", "lat", "lon"]
        return missing

    @property
    def needs_mapping(self) -> bool:
        """True when a required column could not be identified from the header."""
        return self.header is not None and bool(self.missing_required)

    @property
    def unmapped(self) -> list[str]:
        return [c.label for c in (self.header.columns if self.header else []) if c.field is None]


def _fmt(x: float) -> str:
    return f"{x:.6f}".rstrip("0").rstrip(".")


def _code_fix_message(raw, code: str) -> str | None:
    if isinstance(raw, (int, np.integer)) or (isinstance(raw, (float, np.floating))):
        return f"kode desa tersimpan sebagai angka; dinormalkan menjadi {code}"
    text = str(raw).strip()
    if text == code:
        return None
    if "." not in text:
        return f"kode desa ditulis tanpa titik; dinormalkan menjadi {code}"
    return f"penulisan kode desa dinormalkan menjadi {code}"


def import_table(table: RawTable, *, mapping: dict[str, str | None] | None = None,
                 source: str = "", known_villages: set[str] | None = None,
                 land=None, sea_tolerance_m: float = SEA_TOLERANCE_M,
                 parent: str | None = None, overrides: dict[int, str] | None = None
                 ) -> PosyanduImport:
    """Import cells already read (see read_cells). ``parent``: region code the village
    names are matched within; ``overrides``: row → village code confirmed by the user."""
    overrides = dict(overrides or {})
    parent = normalize_code(parent) if parent else None
    header = find_header(table, ALIASES, required=HEADER_FIELDS)
    header = apply_mapping(header, mapping, FIELDS)
    notes = list(table.notes)
    notes.append("Baris judul kolom: " + ", ".join(str(r) for r in header.rows) + ".")
    mapped = [f"'{c.label}' → {c.field}" for c in header.columns if c.field]
    notes.append("Pemetaan kolom: " + ("; ".join(mapped) if mapped else "(tidak ada)") + ".")
    ignored = [c.label for c in header.columns if c.field is None]
    if ignored:
        notes.append("Kolom tidak dipakai: " + ", ".join(f"'{x}'" for x in ignored) + ".")
    result = PosyanduImport(registry.empty_registry(), ImportReport(KIND, source), header)
    missing = result.missing_required
    data_rows = table.rows[header.data_start:]
    if missing:
        labels = ", ".join(f"{FIELD_LABELS[m]} ({m})" for m in missing)
        msg = (f"kolom wajib tidak ditemukan: {labels}. Pilih kolom yang sesuai pada langkah "
               "pemetaan kolom (atau --map 'Judul Kolom=nama_field' di baris perintah).")
        result.report = ImportReport.build(KIND, source, len(data_rows), [],
                                           [finding(header.rows[0], ", ".join(missing), "", msg,
                                                    REJECTED)], notes, fatal=msg)
        return result
    result.rerun = lambda more: import_table(table, mapping=mapping, source=source,
                                             known_villages=known_villages, land=land,
                                             sea_tolerance_m=sea_tolerance_m, parent=parent,
                                             overrides=more)
    result.overrides = overrides
    if known_villages is None:
        known_villages = namematch.known_codes("desa")
    fidx = header.field_index()
    findings: list[dict] = list(table.findings)   # rows the reader refused or changed
    records, rownums = [], []
    seen_rows: dict[tuple, int] = {}
    decimal_comma = dms_rows = 0

    for rownum, values in data_rows:
        rec = {f: (values[i] if i < len(values) else None) for f, i in fidx.items()}
        # Total / subtotal rows: a "Jumlah"/"Total" label and no coordinates.
        texts = [v for v in values if isinstance(v, str)]
        if is_blank(rec.get("lat")) and is_blank(rec.get("lon")) and texts \
                and any(TOTAL_RE.match(t) for t in texts[:3]):
            label = next(t for t in texts[:3] if TOTAL_RE.match(t))
            findings.append(finding(rownum, "", label, "baris jumlah/total, bukan data "
                                    "Posyandu; tidak diimpor", REJECTED))
            continue
        key = tuple("" if is_blank(v) else str(v).strip() for v in values)
        key = key[:max((i for i, v in enumerate(key) if v), default=-1) + 1]
        if key in seen_rows:
            findings.append(finding(rownum, "", "", f"baris sama persis dengan baris "
                                    f"{seen_rows[key]} (duplikat); tidak diimpor", REJECTED))
            continue
        seen_rows[key] = rownum
        row_findings: list[dict] = []
        # Coordinates
        parsed, bad = parse_point(rec)
        for axis, _, _ in bad:
            rec[axis] = None
        if bad:
            rec.setdefault("_bad_point", []).extend(bad)
        plat, plon = parsed["lat"], parsed["lon"]
        if plat is not None and plon is not None:
            lat, lon = plat.value, plon.value
            if isinstance(rec["lat"], str) and "," in rec["lat"] and not plat.converted:
                decimal_comma += 1
            swap_reason = None
            if plat.axis == "lon" or plon.axis == "lat":
                swap_reason = "tanda LU/LS/BT/BB menunjukkan lintang dan bujur tertukar"
            elif not registry.in_extent(lat, lon) and registry.in_extent(lon, lat):
                swap_reason = "lintang dan bujur tertukar (nilai bujur berada di kolom lintang)"
            for axis, p in (("lat", plat), ("lon", plon)):
                if p.converted:
                    dms_rows += 1
                    row_findings.append(finding(
                        rownum, axis, rec[axis],
                        f"koordinat derajat-menit-detik/LU-LS-BT dikonversi ke derajat desimal: "
                        f"{_fmt(p.value)}", REPAIRED))
            if swap_reason:
                lat, lon = lon, lat
                row_findings.append(finding(rownum, "lat, lon", f"{rec['lat']}; {rec['lon']}",
                                            f"{swap_reason}; ditukar menjadi lat {_fmt(lat)}, "
                                            f"lon {_fmt(lon)}", REPAIRED))
            rec["lat"], rec["lon"] = lat, lon
        else:
            for axis, p in (("lat", plat), ("lon", plon)):
                if p is not None:
                    rec[axis] = p.value
        # kode_desa
        raw_code = rec.get("kode_desa")
        if not is_blank(raw_code):
            code = normalize_code(raw_code)
            if code is not None and code.count(".") == 3:
                msg = _code_fix_message(raw_code, code)
                if msg:
                    row_findings.append(finding(rownum, "kode_desa", raw_code, msg, REPAIRED))
                rec["kode_desa"] = code
        # A code confirmed by the user, else an exact village-name match within the parent
        code = rec.get("kode_desa") if isinstance(rec.get("kode_desa"), str) else None
        if rownum in overrides:
            row_findings.append(finding(rownum, "kode_desa", "" if code is None else code,
                                        f"kode desa {'diganti' if code else 'diisi'} dengan saran {overrides[rownum]} "
                                        f"{namematch.official_name('desa', overrides[rownum])} "
                                        "atas persetujuan pengguna", REPAIRED))
            rec["kode_desa"] = overrides[rownum]
        elif (code is None or code not in known_villages) and "nama_desa" in fidx:
            m = suggest_village(rec, code, known_villages, parent)
            if exact_match(m) and code is None:
                rec["kode_desa"] = m.code
                row_findings.append(finding(rownum, "nama_desa", rec.get("nama_desa"),
                                            f"kode desa diisi dari nama desa: {m.describe()}",
                                            REPAIRED))
            elif m is not None:
                rec["_match"] = m
        # Names holding markup are kept verbatim as text (escaped wherever shown).
        nama = rec.get("nama")
        if isinstance(nama, str) and re.search(r"[<>]", nama):
            row_findings.append(finding(rownum, "nama", nama,
                                        "nama berisi tanda < atau > (seperti kode HTML); "
                                        "disimpan apa adanya sebagai teks, tidak dijalankan",
                                        WARNING))
        rec["_findings"] = row_findings
        records.append(rec)
        rownums.append(rownum)

    # Land check (vectorised) for the rows whose coordinates are inside the extent.
    lats = np.array([r["lat"] if isinstance(r.get("lat"), float) else np.nan for r in records])
    lons = np.array([r["lon"] if isinstance(r.get("lon"), float) else np.nan for r in records])
    inside = ~np.isnan(lats) & ~np.isnan(lons)
    inside[inside] = [registry.in_extent(a, b) for a, b in zip(lats[inside], lons[inside])]
    dist = np.full(len(records), np.nan)
    if inside.any():
        dist[inside] = land_distance_m(lons[inside], lats[inside], land)
        if np.isnan(dist[inside]).all():
            notes.append("Pemeriksaan titik di laut dilewati: batas provinsi tidak tersedia.")
    keep_idx = []
    for i, rec in enumerate(records):
        d = dist[i]
        code = rec.get("kode_desa") if isinstance(rec.get("kode_desa"), str) else None
        placed = code is not None and code in known_villages
        bad = rec.pop("_bad_point", [])
        if not np.isnan(d) and d > sea_tolerance_m:
            bad.append(("lat, lon", f"{_fmt(rec['lat'])}; {_fmt(rec['lon'])}",
                        f"titik berada di luar daratan Indonesia (di laut atau di negara "
                        f"tetangga), ±{d / 1000:.1f} km dari daratan Indonesia terdekat".replace(".", ",")))
        if bad:
            for col, raw, msg in bad:
                rec["_findings"].append(finding(
                    rownums[i], col, raw,
                    f"{msg}; koordinat dikosongkan (titik tidak dipakai), Posyandu tetap "
                    f"dihitung di desa {code}" if placed else
                    f"{msg}; Posyandu tidak dapat ditempatkan: "
                    + ("kode desa kosong" if code is None else
                       f"kode desa {code} tidak ada di daftar kode Kemendagri")
                    + match_hint(rec), WARNING if placed else REJECTED))
            rec["lat"] = rec["lon"] = None
            rec["status_titik"] = registry.POINT_REJECTED
        elif not np.isnan(d) and d > 0:
            rec["_findings"].append(finding(
                rownums[i], "lat, lon", f"{_fmt(rec['lat'])}; {_fmt(rec['lon'])}",
                f"titik berada ±{d:.0f} m di luar garis pantai peta; periksa koordinat "
                "(batas peta disederhanakan, titik tetap diimpor)", WARNING))
        if any(f["tingkat"] == REJECTED for f in rec["_findings"]):
            findings.extend(rec["_findings"])   # rejected before validation
            continue
        keep_idx.append(i)

    frame = pd.DataFrame([{c: records[i].get(c) for c in (*FIELDS, "status_titik")}
                          for i in keep_idx], columns=[*FIELDS, "status_titik"])
    for c in FIELDS:
        if c not in fidx and c not in ("sampel", "kode_desa", "lat", "lon", "id", *AUX):
            frame = frame.drop(columns=c)     # validate reports missing optional columns
    vrows = [rownums[i] for i in keep_idx]
    res = registry.validate(frame, vrows, known_villages=known_villages)
    vprob = res.problems.to_dict("records")
    # Missing optional columns: one file-level note instead of row-1 warnings.
    missing_cols = [p["kolom"] for p in vprob if p["baris"] == 1 and p["tingkat"] == WARNING
                    and "tidak ada di berkas" in p["pesan"]]
    vprob = [p for p in vprob if not (p["baris"] == 1 and p["kolom"] in missing_cols
                                      and "tidak ada di berkas" in p["pesan"])]
    if missing_cols:
        notes.append("Kolom tidak ada di berkas (dianggap kosong): " + ", ".join(missing_cols) + ".")

    by_row = dict(zip(rownums, records))
    for p in vprob:
        if p["kolom"] in ("kode_desa", "kode_desa, lat, lon") and p["baris"] in by_row:
            p["pesan"] += match_hint(by_row[p["baris"]])
    sugg_rows = [{"baris": row, "kode_desa": rec["kode_desa"] if isinstance(
                      rec.get("kode_desa"), str) else "",
                  "saran_kode": rec["_match"].code, "saran_nama": rec["_match"].name,
                  "skor": round(rec["_match"].score, 1)}
                 for row, rec in by_row.items() if rec.get("_match") is not None]
    if "kode_desa" not in fidx:
        vprob = [p for p in vprob if not (p["kolom"] == "kode_desa" and p["tingkat"] == WARNING
                                          and "saran" not in p["pesan"])]
        notes.append("Kolom kode desa tidak ada; desa setiap Posyandu ditentukan dari "
                     "koordinatnya.")
    for i in keep_idx:
        findings.extend(records[i]["_findings"])
    findings.extend(vprob)
    data = res.data
    accepted = [int(b) for b in data["baris"]] if len(data) else []
    if decimal_comma:
        notes.append(f"Koma desimal dibaca sebagai pemisah desimal ({decimal_comma} baris).")
    if dms_rows:
        notes.append(f"{dms_rows} nilai koordinat DMS/LU-LS-BT dikonversi ke derajat desimal.")
    if len(data):
        status = data["status_titik"].value_counts()
        no_point = int(status.get(registry.NO_POINT, 0))
        refused = int(status.get(registry.POINT_REJECTED, 0))
        if no_point or refused:
            notes.append(f"{no_point + refused} baris tanpa titik koordinat yang dapat dipakai "
                         f"({no_point} tanpa koordinat, {refused} koordinat ditolak): dihitung "
                         "di desanya menurut kode desa, tidak digambar sebagai titik.")
    result.data = data
    result.report = ImportReport.build(KIND, source, len(data_rows) + table.rejected_rows,
                                       accepted, findings, notes)
    if sugg_rows:
        result.suggestions = pd.DataFrame(sugg_rows)
    return result


def import_posyandu(path: str | Path, *, mapping: dict[str, str | None] | None = None,
                    sheet: str | None = None, source_name: str | None = None,
                    known_villages: set[str] | None = None, land=None,
                    sea_tolerance_m: float = SEA_TOLERANCE_M,
                    parent: str | None = None) -> PosyanduImport:
    """Import a Posyandu registry file (CSV/TXT/XLSX). Never raises for bad rows; a file
    that cannot be read at all gives an empty result whose report has ``fatal`` set."""
    path = Path(path)
    source = source_name or path.name
    try:
        check_type(path, KIND)
        table = read_cells(path, sheet)
        return import_table(table, mapping=mapping, source=source,
                            known_villages=known_villages, land=land,
                            sea_tolerance_m=sea_tolerance_m, parent=parent)
    except ImportRefused as exc:
        return PosyanduImport(registry.empty_registry(), ImportReport.refused(KIND, source, str(exc)))


def apply_suggestions(result: PosyanduImport, rows: list[int] | None = None) -> PosyanduImport:
    """Apply the name-based kode_desa suggestions of the given rows (all when None), as an
    explicit user decision: the file is imported again with those codes, each change
    reported as ``diperbaiki`` — a row that had no place (no point, no known code) is then
    kept too."""
    sug = result.suggestions
    if rows is not None:
        sug = sug.loc[sug["baris"].isin(rows)]
    if not len(sug) or result.rerun is None:
        return result
    chosen = {**result.overrides, **dict(zip(sug["baris"].astype(int), sug["saran_kode"]))}
    return result.rerun(chosen)


def accepted_table(result: PosyanduImport) -> pd.DataFrame:
    """Accepted rows in schema order with decimal lat/lon (for --out and downloads)."""
    return registry.to_frame(result.data)
