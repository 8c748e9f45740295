"""Reading a registry as columns (issue 25): the cells of every row as one object array per
column, with the row numbers, for the column-by-column import of geo.importers.posyandu.

A plain CSV — UTF-8, one record per line, no quote character, no NUL, every line as wide
as the first, no cell above MAX_FIELD_CHARS, at most MAX_COLUMNS columns — is parsed by
pyarrow's CSV reader in blocks (C++, no Python per cell), then cleaned column by column
exactly as geo.importers.table cleans a cell (surrounding whitespace removed, empty →
missing, rows without any value dropped but counted). Any other file (quoted cells,
other encodings, ragged or broken lines, XLSX) is read by geo.importers.table, whose
findings name what it had to refuse or change; its rows are then turned into columns.
Both give the same cells (tests/unit/test_import_columns.py).
"""
from __future__ import annotations

import codecs
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pacsv

from geo.importers.encoding import ENCODING_LABELS, detect_encoding
from geo.importers.safety import check_size
from geo.importers.table import (
    DELIMITER_NAMES,
    HEADER_SCAN_ROWS,
    MAX_COLUMNS,
    MAX_FIELD_CHARS,
    RawTable,
    _too_many_rows,
    detect_delimiter,
    max_rows,
    read_cells,
)

BLOCK_BYTES = 4 << 20         # bytes parsed per block (progress is reported per block)
_NEEDS_STRIP = r"^[^!-~]|[^!-~]$"   # first or last character not printable ASCII


_ALL_TEXT = {f"f{j}": pa.string() for j in range(MAX_COLUMNS + 1)}


class _NotPlain(Exception):
    """The file needs the line reader (geo.importers.table)."""


def _clean_column(arr: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """geo.importers.table._clean for a column of text: stripped, "" → None."""
    values = arr.to_numpy(zero_copy_only=False).astype(object, copy=False)
    if arr.null_count:
        values[np.asarray(pc.is_null(arr))] = None
    strip = np.asarray(pc.fill_null(pc.match_substring_regex(arr, _NEEDS_STRIP), False))
    for i in np.flatnonzero(strip):
        values[i] = values[i].strip()
    empty = np.asarray(pc.fill_null(pc.equal(arr, ""), False))
    if strip.any():
        empty = empty | (strip & np.equal(values, ""))
    values[empty] = None
    return values


def _read_plain_csv(path: Path, progress: Callable | None) -> tuple[RawTable, tuple] | None:
    enc = detect_encoding(path)
    if enc not in ("utf-8", "utf-8-sig"):
        return None
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if b'"' in data or b"\x00" in data or data.count(b"\r") != data.count(b"\r\n"):
        return None
    head = data[:1 << 20].decode("utf-8", errors="replace").splitlines()[:60]
    if not any(ln.strip() for ln in head):
        return None                # the line reader refuses it with its own message
    delim = detect_delimiter(head)
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    limit = max_rows()
    if lines > limit + HEADER_SCAN_ROWS + 1000:
        raise _too_many_rows(limit)
    skipped: list[int] = []

    def invalid(row) -> str:
        if row.number < 0 or row.text.strip():
            return "error"          # a ragged line: pyarrow stops (ArrowInvalid, below)
        skipped.append(row.number)
        return "skip"

    try:
        reader = pacsv.open_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, use_threads=False,
                                           block_size=BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(delimiter=delim, quote_char=False,
                                             newlines_in_values=False, ignore_empty_lines=False,
                                             invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(
                column_types=_ALL_TEXT, strings_can_be_null=False, null_values=[],
                check_utf8=True, auto_dict_encode=False))
        width = len(reader.schema)
        if width > MAX_COLUMNS or width < 2 or any(
                not pa.types.is_string(t) and not pa.types.is_large_string(t)
                for t in reader.schema.types):
            raise _NotPlain()
        parts: list[list[np.ndarray]] = [[] for _ in range(width)]
        done = 0
        for batch in reader:
            for j in range(width):
                col = batch.column(j)
                if len(col) and pc.max(pc.utf8_length(col)).as_py() > MAX_FIELD_CHARS:
                    raise _NotPlain()
                parts[j].append(_clean_column(col))
            done += batch.num_rows
            if progress is not None:
                progress("baca", done, max(lines - 1, done))
    except (_NotPlain, pa.ArrowInvalid, UnicodeDecodeError):
        return None
    cells = [np.concatenate(p) if p else np.empty(0, dtype=object) for p in parts]
    n = len(cells[0]) if cells else 0
    numbers = np.setdiff1d(np.arange(1, lines + 1), np.asarray(skipped, dtype=np.int64))
    if len(numbers) != n:
        return None
    filled = np.zeros(n, bool)
    for c in cells:
        filled |= np.not_equal(c, None)
    if not filled.all():
        cells = [c[filled] for c in cells]
        numbers = numbers[filled]
    if len(numbers) > limit + HEADER_SCAN_ROWS + 1:
        raise _too_many_rows(limit)
    first = [(int(numbers[i]), [c[i] for c in cells])
             for i in range(min(len(numbers), HEADER_SCAN_ROWS + 2))]
    notes = [f"Pengodean teks: {ENCODING_LABELS[enc]}; pemisah kolom: {DELIMITER_NAMES[delim]}."]
    table = RawTable(first, notes, encoding=ENCODING_LABELS[enc], delimiter=delim)
    return table, (cells, numbers)


def read_columns(path: str | Path, sheet: str | None = None,
                 progress: Callable | None = None) -> tuple[RawTable, tuple | None]:
    """(table, columns): ``columns`` is (cells per column, row numbers) of every row when
    the file was read by blocks — ``table.rows`` then holds only the first rows, where the
    header is — else None and ``table`` is the line reader's (size checked first)."""
    path = Path(path)
    check_size(path)
    if path.suffix.lower() in (".csv", ".txt"):
        fast = _read_plain_csv(path, progress)
        if fast is not None:
            return fast
    table = read_cells(path, sheet)
    if progress is not None:
        progress("baca", len(table.rows), len(table.rows))
    return table, None
