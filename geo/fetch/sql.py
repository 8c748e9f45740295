"""Reading the upstream's MySQL dump files (``cahyadsn/wilayah`` and
``cahyadsn/wilayah_boundaries``): ``INSERT`` value rows, one per line, parsed without a
database; levels and kinds read from the codes.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from geo import codes
from geo.codes import FILE_LEVEL

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
