"""Finding the header of a table read by geo.importers.table, and mapping its columns to
schema fields.

* Header: the row (among the first ``HEADER_SCAN_ROWS``) whose cells best match the known
  column names; title rows above it are skipped. A second header row below it (merged
  header cells such as "Koordinat" over "Lintang | Bujur") is combined with it when that
  maps more columns.
* Mapping: each column goes to the field whose known names (``aliases``) match its
  normalised label; the user's choices (``apply_mapping``) override it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from geo.importers.report import ImportRefused
from geo.importers.table import HEADER_SCAN_ROWS, RawTable
from geo.registry.schema import is_blank


def normalize_header(text) -> str:
    """'Jml. Kader (orang)' → 'jml kader orang'."""
    if text is None:
        return ""
    s = str(text).strip().lower()
    s = re.sub(r"[^0-9a-z]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _without_parentheses(text) -> str:
    return normalize_header(re.sub(r"\(.*?\)|\[.*?\]", " ", str(text or "")))


@dataclass
class Column:
    index: int          # position in the row
    label: str          # header text as shown to the user (both header rows joined by " / ")
    field: str | None   # schema field, or None (ignored)
    auto: bool = True   # mapped from the known names (False: chosen by the user)


@dataclass
class Header:
    rows: list[int]            # file row number(s) of the header
    columns: list[Column]
    data_start: int            # index in RawTable.rows of the first data row

    @property
    def mapping(self) -> dict[str, str | None]:
        return {c.label: c.field for c in self.columns}

    def field_index(self) -> dict[str, int]:
        return {c.field: c.index for c in self.columns if c.field}


def build_alias_index(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    index = {}
    for fld, names in aliases.items():
        for name in (fld, *names):
            index.setdefault(normalize_header(name), fld)
    return index


def _match(label_parts: list, index: dict[str, str]) -> str | None:
    parts = [p for p in label_parts if not is_blank(p)]
    candidates = []
    if len(parts) == 2:
        candidates += [f"{parts[0]} {parts[1]}", parts[1], parts[0]]
    else:
        candidates += parts
    for cand in candidates:
        for key in (normalize_header(cand), _without_parentheses(cand)):
            if key in index:
                return index[key]
    return None


def _map_columns(top: list, bottom: list | None, index: dict[str, str]) -> list[Column]:
    width = max(len(top), len(bottom or []))
    top = list(top) + [None] * (width - len(top))
    bottom = (list(bottom) + [None] * (width - len(bottom))) if bottom is not None else None
    # A merged cell spanning columns is read as its value followed by empty cells.
    filled, last = [], None
    for j in range(width):
        if not is_blank(top[j]):
            last = top[j]
            filled.append(top[j])
        elif bottom is not None and not is_blank(bottom[j]) and last is not None:
            filled.append(last)
        else:
            last = None if bottom is None or is_blank(bottom[j]) else last
            filled.append(None)
    cols, used, labels = [], set(), set()
    for j in range(width):
        parts = [filled[j]] + ([bottom[j]] if bottom is not None else [])
        shown = [str(p).strip() for p in parts if not is_blank(p)]
        if not shown:
            continue
        label = " / ".join(dict.fromkeys(shown))
        while label in labels:
            label += " (2)"
        labels.add(label)
        fld = _match(parts, index)
        if fld in used:
            fld = None
        if fld:
            used.add(fld)
        cols.append(Column(j, label, fld))
    return cols


def _looks_like_header_row(values: list) -> bool:
    cells = [v for v in values if not is_blank(v)]
    return bool(cells) and all(isinstance(v, str) and not re.fullmatch(r"[-+\d.,\s°'\"]+", v)
                               for v in cells)


def find_header(table: RawTable, aliases: dict[str, tuple[str, ...]],
                required: tuple[str, ...] = ()) -> Header:
    """The header row(s) and the column → field mapping from the known names."""
    if not table.rows:
        raise ImportRefused("berkas tidak berisi data (semua baris kosong)")
    index = build_alias_index(aliases)
    best = None
    for k, (_rownum, values) in enumerate(table.rows[:HEADER_SCAN_ROWS]):
        if not _looks_like_header_row(values):
            continue
        cols = _map_columns(values, None, index)
        score = (sum(c.field in required for c in cols), sum(c.field is not None for c in cols))
        if best is None or score > best[0]:
            best = (score, k, cols)
    if best is None or best[0][1] == 0:
        # Nothing recognised: take the first row with at least two filled cells as header.
        k = next((k for k, (_, v) in enumerate(table.rows[:HEADER_SCAN_ROWS])
                  if sum(not is_blank(x) for x in v) >= 2), 0)
        cols = _map_columns(table.rows[k][1], None, index)
        return Header([table.rows[k][0]], cols, k + 1)
    score, k, cols = best
    header = Header([table.rows[k][0]], cols, k + 1)
    if k + 1 < len(table.rows) and table.rows[k + 1][0] == table.rows[k][0] + 1 \
            and _looks_like_header_row(table.rows[k + 1][1]):
        cols2 = _map_columns(table.rows[k][1], table.rows[k + 1][1], index)
        score2 = (sum(c.field in required for c in cols2), sum(c.field is not None for c in cols2))
        if score2 > score:
            header = Header([table.rows[k][0], table.rows[k + 1][0]], cols2, k + 2)
    return header


def apply_mapping(header: Header, mapping: dict[str, str | None] | None,
                  fields: tuple[str, ...]) -> Header:
    """Override the automatic mapping with the user's choices (label → field or None)."""
    if not mapping:
        return header
    unknown = [lbl for lbl in mapping if lbl not in {c.label for c in header.columns}]
    if unknown:
        raise ImportRefused(f"kolom {', '.join(repr(u) for u in unknown)} tidak ada di berkas")
    bad = [f for f in mapping.values() if f and f not in fields]
    if bad:
        raise ImportRefused(f"kolom tujuan tidak dikenal: {', '.join(bad)}")
    chosen = {f for f in mapping.values() if f}
    cols = []
    for c in header.columns:
        if c.label in mapping:
            cols.append(Column(c.index, c.label, mapping[c.label] or None, auto=False))
        else:   # an automatic mapping gives way to a user's explicit choice of that field
            cols.append(Column(c.index, c.label, None if c.field in chosen else c.field, c.auto))
    return Header(header.rows, cols, header.data_start)
