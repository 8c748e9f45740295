"""Posyandu registries as offices really produce them (SIP exports, Excel lists).

Pipeline: read cells (geo.importers.columns: a plain CSV by blocks, anything else by the
line reader; any encoding/delimiter, XLSX title rows, merged headers) → map the header to
the schema of geo.registry.schema (known Indonesian/English names, or the user's mapping)
→ the row checks, column by column and block by block with progress
(geo.importers.posyandu_rows: totals, duplicates, coordinates, codes, names, land check)
→ geo.registry.validate → report. The rules below are those of the row-by-row import this
replaced (issue 25); tests/unit/test_property_hostile.py keeps that import as the
reference the reports must equal.

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
duplicate rows, and what geo.registry.validate rejects (no name, duplicate id, a row that
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

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.codes import normalize_code
from geo.importers import names as namematch
from geo.importers.columns import read_columns
from geo.importers.header import Header, apply_mapping, find_header
from geo.importers.placement import SEA_TOLERANCE_M
from geo.importers.posyandu_columns import (
    ALIASES,
    FIELD_LABELS,
    FIELDS,
    HEADER_FIELDS,
    PLACEMENT_COLUMNS,
    REQUIRED_COLUMNS,
)
from geo.importers.posyandu_rows import check_rows, totals_and_duplicates
from geo.importers.report import REJECTED, WARNING, ImportRefused, ImportReport, finding
from geo.importers.safety import check_type
from geo.importers.table import RawTable
from geo.registry import schema as registry
from geo.registry.cells import Problems
from geo.registry.validate import validate

# progress(stage, rows done, rows in all or None): stages "baca", "periksa", "simpan".
Progress = Callable[[str, int, "int | None"], None]
CHUNK_ROWS = 50_000     # rows checked between two progress reports

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


def _cells_of(table: RawTable, start: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Rows ``start:`` of a table read row by row, as columns (object arrays, None where a
    row is shorter) and their row numbers."""
    rows = table.rows[start:]
    numbers = np.fromiter((r for r, _ in rows), np.int64, len(rows))
    cells = []
    for values in itertools.zip_longest(*(v for _, v in rows), fillvalue=None):
        col = np.empty(len(rows), dtype=object)
        col[:] = values
        cells.append(col)
    return cells, numbers


def _frame(stages: list) -> dict[str, np.ndarray]:
    """The rows kept by the row stage, column by column, for validation. A column holding
    anything but text has its values inferred once over the whole column, as a table built
    row by row would (an XLSX column of whole numbers and blanks is read as floats)."""
    out = {}
    for c in stages[0].data:
        values = np.concatenate([s.data[c] for s in stages])
        if len(values) and pd.api.types.infer_dtype(values, skipna=True) not in ("string",
                                                                                 "empty"):
            values = pd.Series(values.tolist()).to_numpy(dtype=object)
        out[c] = values
    return out


def import_table(table: RawTable, *, mapping: dict[str, str | None] | None = None,
                 source: str = "", known_villages: set[str] | None = None,
                 land=None, sea_tolerance_m: float = SEA_TOLERANCE_M,
                 parent: str | None = None, overrides: dict[int, str] | None = None,
                 columns: tuple[list[np.ndarray], np.ndarray] | None = None,
                 progress: Progress | None = None) -> PosyanduImport:
    """Import cells already read (see read_cells). ``parent``: region code the village
    names are matched within; ``overrides``: row → village code confirmed by the user.
    ``columns``: the cells of every row of the table as columns with their row numbers
    (geo.importers.columns, a fast read; ``table.rows`` then holds only the first rows,
    where the header is found). ``progress(stage, done, total)`` is called as rows are
    checked (stage "periksa")."""
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
    if columns is None:
        cells, numbers = _cells_of(table, header.data_start)
    else:
        cells, numbers = [c[header.data_start:] for c in columns[0]], \
            columns[1][header.data_start:]
    if missing:
        labels = ", ".join(f"{FIELD_LABELS[m]} ({m})" for m in missing)
        msg = (f"kolom wajib tidak ditemukan: {labels}. Pilih kolom yang sesuai pada langkah "
               "pemetaan kolom (atau --map 'Judul Kolom=nama_field' di baris perintah).")
        result.report = ImportReport.build(KIND, source, len(numbers), [],
                                           [finding(header.rows[0], ", ".join(missing), "", msg,
                                                    REJECTED)], notes, fatal=msg)
        return result
    result.rerun = lambda more: import_table(table, mapping=mapping, source=source,
                                             known_villages=known_villages, land=land,
                                             sea_tolerance_m=sea_tolerance_m, parent=parent,
                                             overrides=more, columns=columns, progress=progress)
    result.overrides = overrides
    if known_villages is None:
        known_villages = namematch.known_codes("desa")
    fidx = header.field_index()
    n = len(numbers)
    cells = list(cells) + [np.full(n, None, dtype=object)
                           for _ in range(len(cells), max(fidx.values(), default=-1) + 1)]
    stage1 = Problems(numbers)
    empty = np.full(n, None, dtype=object)
    live = totals_and_duplicates(cells, cells[fidx["lat"]] if "lat" in fidx else empty,
                                 cells[fidx["lon"]] if "lon" in fidx else empty, numbers, stage1)
    stages = []
    step = CHUNK_ROWS
    for lo in range(0, max(n, 1), step):
        hi = min(lo + step, n)
        part = np.zeros(n, bool)
        part[lo:hi] = live[lo:hi]
        stages.append(check_rows(cells, numbers, fidx, part, stage1,
                                 known_villages=known_villages, land=land,
                                 sea_tolerance_m=sea_tolerance_m, parent=parent,
                                 overrides=overrides, fields=FIELDS))
        if progress is not None:
            progress("periksa", hi, n)
    frame = _frame(stages)
    vrows = np.concatenate([s.rows for s in stages])
    if any(s.land_missing for s in stages):
        notes.append("Pemeriksaan titik di laut dilewati: batas provinsi tidak tersedia.")
    matches = {k: v for s in stages for k, v in s.matches.items()}
    res = validate(frame, vrows, known_villages=known_villages)
    vprob = res.problems.to_dict("records")
    # Missing optional columns: one file-level note instead of row-1 warnings.
    missing_cols = [p["kolom"] for p in vprob if p["baris"] == 1 and p["tingkat"] == WARNING
                    and "tidak ada di berkas" in p["pesan"]]
    vprob = [p for p in vprob if not (p["baris"] == 1 and p["kolom"] in missing_cols
                                      and "tidak ada di berkas" in p["pesan"])]
    if missing_cols:
        notes.append("Kolom tidak ada di berkas (dianggap kosong): " + ", ".join(missing_cols) + ".")
    for p in vprob:
        if p["kolom"] in ("kode_desa", "kode_desa, lat, lon") and p["baris"] in matches:
            m, desa, _ = matches[p["baris"]]
            p["pesan"] += (f"; saran dari nama desa '{desa}': {m.describe()} — belum "
                           "diterapkan, periksa lalu terapkan saran bila benar")
    if "kode_desa" not in fidx:
        vprob = [p for p in vprob if not (p["kolom"] == "kode_desa" and p["tingkat"] == WARNING
                                          and "saran" not in p["pesan"])]
        notes.append("Kolom kode desa tidak ada; desa setiap Posyandu ditentukan dari "
                     "koordinatnya.")
    sugg_rows = []
    for row in (r for s in stages for r in s.order):
        m, _, code = matches[row]
        sugg_rows.append({"baris": row, "kode_desa": code if isinstance(code, str) else "",
                          "saran_kode": m.code, "saran_nama": m.name,
                          "skor": round(m.score, 1)})
    findings = list(table.findings) + stage1.records() + vprob
    data = res.data
    accepted = [int(b) for b in data["baris"]] if len(data) else []
    decimal_comma = sum(s.decimal_comma for s in stages)
    dms_rows = sum(s.dms for s in stages)
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
    result.report = ImportReport.build(KIND, source, n + table.rejected_rows,
                                       accepted, findings, notes)
    if sugg_rows:
        result.suggestions = pd.DataFrame(sugg_rows)
    return result


def import_posyandu(path: str | Path, *, mapping: dict[str, str | None] | None = None,
                    sheet: str | None = None, source_name: str | None = None,
                    known_villages: set[str] | None = None, land=None,
                    sea_tolerance_m: float = SEA_TOLERANCE_M,
                    parent: str | None = None,
                    progress: Progress | None = None) -> PosyanduImport:
    """Import a Posyandu registry file (CSV/TXT/XLSX). Never raises for bad rows; a file
    that cannot be read at all gives an empty result whose report has ``fatal`` set.
    ``progress(stage, done, total)`` is called while the file is read ("baca") and its rows
    are checked ("periksa")."""
    path = Path(path)
    source = source_name or path.name
    try:
        check_type(path, KIND)
        table, columns = read_columns(path, sheet, progress)
        return import_table(table, mapping=mapping, source=source,
                            known_villages=known_villages, land=land,
                            sea_tolerance_m=sea_tolerance_m, parent=parent, columns=columns,
                            progress=progress)
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
