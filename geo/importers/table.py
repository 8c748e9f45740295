"""Reading tables as offices produce them (CSV or XLSX) into rows of cells.

* CSV: UTF-8, UTF-8 with BOM, UTF-16 (Excel "Unicode text"), Windows-1252 or an East
  Asian code page (geo.importers.encoding; a warning names the latter); ``;``, ``,``,
  tab or ``|`` delimiters, detected from the file. Cells beyond ``MAX_COLUMNS`` are
  ignored and counted in a note.
* XLSX: read-only, cached values only (see geo.importers.safety.read_xlsx_rows).

Rows keep their number in the file (spreadsheet row, or line of the CSV), empty lines are
dropped but still counted, so every message points at the row the user sees.
Finding the header among the cells read is geo.importers.header.
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from geo.importers.encoding import ENCODING_LABELS, detect_encoding, encoding_warning
from geo.importers.report import ImportRefused
from geo.importers.safety import check_size, read_xlsx_rows
from geo.registry.schema import is_blank

DELIMITERS = (";", ",", "\t", "|")
DELIMITER_NAMES = {";": "titik koma (;)", ",": "koma (,)", "\t": "tab", "|": "garis tegak (|)"}
HEADER_SCAN_ROWS = 30


@dataclass
class RawTable:
    """Cells of a file as read: ``rows`` is a list of (row number, values).

    ``findings`` are rows the reader could not split into cells (an unclosed quote, a cell
    above ``MAX_FIELD_CHARS``) — reported as ``ditolak`` with their row number — and
    cells it changed (NUL characters removed), as ``peringatan``."""
    rows: list[tuple[int, list]]
    notes: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return len({f["baris"] for f in self.findings if f["tingkat"] == "ditolak"})


# A title/total row label ("Jumlah", "Total", "Sub total", "Grand total", "Jml.").
TOTAL_RE = re.compile(r"^(grand\s*)?(sub\s*)?(total|jumlah|jml)\b\.?", re.I)

# Bounds of every table read (documented in data/README.md, "Batas ukuran"): they keep
# the time and memory of an import proportional to the data actually present.
MAX_FIELD_CHARS = 131_072      # one cell (Python's csv default); longer → the row is refused
MAX_COLUMNS = 256              # cells kept per row (header width, then this cap)


DEFAULT_MAX_ROWS = 1_000_000


def max_rows() -> int:
    """Data rows accepted in one file (env ``PETA_MAX_ROWS`` lowers it; default 1,000,000:
    the national registry — 303,416 Posyandu — three times over, read by blocks and checked
    column by column within the documented 1.5 GB, see benchmarks/import_registry.py).
    A longer file is refused before it is parsed."""
    try:
        return max(int(os.environ.get("PETA_MAX_ROWS", DEFAULT_MAX_ROWS)), 1)
    except ValueError:
        return DEFAULT_MAX_ROWS


def _count_lines(path: Path, encoding: str, stop: int) -> int:
    """Line breaks in a text file (streamed, stops counting past ``stop``)."""
    n = 0
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        while block := fh.read(1 << 20):
            n += block.count("\n")
            if n > stop:
                break
    return n


def _too_many_rows(limit: int) -> ImportRefused:
    return ImportRefused(f"berkas berisi lebih dari {limit:,} baris data".replace(",", ".")
                         + "; batas satu impor. Bagi berkas per provinsi/kabupaten, atau minta "
                         "admin menaikkan PETA_MAX_ROWS.")


def _clean(v):
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


def detect_delimiter(text: str | list[str]) -> str:
    lines = text.splitlines() if isinstance(text, str) else list(text)
    lines = [ln[:4096] for ln in lines if ln.strip()][:60]
    best, best_score = ",", (-1, -1)
    for d in DELIMITERS:
        counts = []
        for ln in lines:   # line by line: one unbalanced quote must not hide the rest
            try:
                counts.append(len(next(csv.reader([ln], delimiter=d), [])))
            except csv.Error:
                counts.append(ln.count(d) + 1)
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        mode = max(set(multi), key=multi.count)
        score = (multi.count(mode), mode)
        if score > best_score:
            best, best_score = d, score
    return best


class _Lines:
    """The text lines fed to csv.reader, remembering those of the current record."""

    def __init__(self, fh):
        self.fh = fh
        self.current: list[str] = []
        self.nul_lines: list[int] = []
        self.number = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.fh.readline()
        if not line:
            raise StopIteration
        self.number += 1
        if "\x00" in line:
            line = line.replace("\x00", "")
            self.nul_lines.append(self.number)
        self.current.append(line)
        return line


def _swallowed(rec: list[str], delim: str) -> bool:
    """True when a cell holds a line break followed by more delimited cells: the sign of
    a quote opened and never closed (a genuine multi-line cell holds no delimiter)."""
    for v in rec:
        for brk in ("\n", "\r"):
            if brk in v and delim in v.split(brk, 1)[1]:
                return True
    return False


def read_csv_cells(path: Path) -> RawTable:
    """Cells of a CSV/TXT file, streamed: one line at a time (never the whole file as one
    string), cells bounded by MAX_FIELD_CHARS, rows by max_rows()."""
    from geo.importers.report import REJECTED, WARNING, finding
    path = Path(path)
    enc = detect_encoding(path)
    with open(path, encoding=enc, errors="replace", newline="") as fh:
        head = [ln.replace("\x00", "") for _, ln in zip(range(60), fh)]
    if not any(ln.strip() for ln in head):
        raise ImportRefused("berkas tidak berisi data (hanya baris kosong atau spasi)")
    delim = detect_delimiter(head)
    limit = max_rows()
    if _count_lines(path, enc, limit + HEADER_SCAN_ROWS + 1000) > limit + HEADER_SCAN_ROWS + 1000:
        raise _too_many_rows(limit)      # refused early: before any row is parsed
    rows: list[tuple[int, list]] = []
    findings: list[dict] = []
    dropped = 0

    def keep(rownum: int, rec: list) -> None:
        nonlocal dropped
        if len(rec) > MAX_COLUMNS:
            dropped += sum(1 for v in rec[MAX_COLUMNS:] if not is_blank(_clean(v)))
        values = [_clean(v) for v in rec[:MAX_COLUMNS]]
        if any(not is_blank(v) for v in values):
            if len(rows) > limit + HEADER_SCAN_ROWS:
                raise _too_many_rows(limit)
            rows.append((rownum, values))

    with open(path, encoding=enc, errors="replace", newline="") as fh:
        lines = _Lines(fh)
        reader = csv.reader(lines, delimiter=delim)
        start = 1
        while True:
            lines.current = []
            try:
                rec = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                if "field larger" in str(exc):
                    msg = (f"sel lebih dari {MAX_FIELD_CHARS:,} karakter".replace(",", ".")
                           + "; baris tidak dapat dibaca dan tidak diimpor")
                else:
                    msg = f"baris tidak dapat dibaca sebagai CSV ({exc}); tidak diimpor"
                findings.append(finding(start, "", "", msg, REJECTED))
                start = lines.number + 1
                continue
            span = lines.current
            if len(span) > 1 and _swallowed(rec, delim):
                # An unclosed quote swallowed the following lines into one cell: the row
                # with the quote is refused, the swallowed lines are read as their own rows.
                findings.append(finding(
                    start, "", span[0].strip()[:200],
                    f"tanda petik (\") tidak ditutup; baris {start + 1}–{start + len(span) - 1} "
                    "ikut terbaca ke dalam satu sel. Baris ini tidak diimpor (perbaiki tanda "
                    "petiknya); baris sesudahnya dibaca terpisah", REJECTED))
                for k, ln in enumerate(span[1:], start=1):
                    try:
                        sub = next(csv.reader([ln], delimiter=delim,
                                              quoting=csv.QUOTE_NONE), [])
                    except csv.Error:
                        sub = ln.rstrip("\r\n").split(delim)
                    keep(start + k, sub)
            else:
                keep(start, rec)
            start = lines.number + 1
    for n in lines.nul_lines:
        findings.append(finding(n, "", "", "karakter NUL (\\0) dihapus dari baris ini "
                                "(berkas mungkin rusak); periksa nilainya", WARNING))
    notes = [f"Pengodean teks: {ENCODING_LABELS[enc]}; pemisah kolom: "
             f"{DELIMITER_NAMES[delim]}."]
    warning = encoding_warning(enc, "".join(head))
    if warning:
        findings.insert(0, finding(0, "", ENCODING_LABELS[enc], warning, WARNING))
        notes.append(warning)
    if dropped:
        notes.append(f"{dropped} sel di luar kolom ke-{MAX_COLUMNS} diabaikan.")
    return RawTable(rows, notes, encoding=ENCODING_LABELS[enc], delimiter=delim,
                    findings=findings)


def read_xlsx_cells(path: Path, sheet: str | None = None) -> RawTable:
    values, title, names, dropped = read_xlsx_rows(path, sheet, max_rows=max_rows() + HEADER_SCAN_ROWS,
                                                   max_columns=MAX_COLUMNS)
    rows = []
    for i, rec in values:
        vals = [_clean(v) for v in rec]
        if any(not is_blank(v) for v in vals):
            rows.append((i, vals))
    if len(rows) > max_rows() + HEADER_SCAN_ROWS:
        raise _too_many_rows(max_rows())
    notes = [f"Lembar yang dibaca: '{title}'" + (f" (lembar lain: {', '.join(n for n in names if n != title)})"
                                                  if len(names) > 1 else "") + "."]
    if dropped:
        notes.append(f"{dropped} sel di luar kolom ke-{MAX_COLUMNS} diabaikan.")
    return RawTable(rows, notes, sheet=title, sheets=names)


def sheet_names(path: str | Path) -> list[str]:
    """Names of the sheets of an XLSX workbook (checked like any upload)."""
    from geo.importers.safety import xlsx_sheet_names
    return xlsx_sheet_names(path)


def read_cells(path: str | Path, sheet: str | None = None) -> RawTable:
    """Cells of a CSV/TXT/XLSX file (size checked first)."""
    path = Path(path)
    check_size(path)
    ext = path.suffix.lower()
    if ext == ".xlsx":
        return read_xlsx_cells(path, sheet)
    if ext in (".csv", ".txt"):
        return read_csv_cells(path)
    raise ImportRefused(f"jenis berkas {ext} tidak didukung; gunakan CSV atau XLSX")
