"""Kemendagri region codes and administrative levels.

Codes are strings, always: ``"62"`` ⊃ ``"62.71"`` ⊃ ``"62.71.01"`` ⊃ ``"62.71.01.1001"``.
The hierarchy is in the code itself, so a parent is a prefix.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

LEVELS = ("provinsi", "kabupaten", "kecamatan", "desa")
# Level names used inside the data directory's files.
FILE_LEVEL = {"provinsi": "province", "kabupaten": "regency", "kecamatan": "district", "desa": "village"}
LEVEL_FROM_FILE = {v: k for k, v in FILE_LEVEL.items()}
# Number of dotted parts and digits of each part.
PARTS = {"provinsi": 1, "kabupaten": 2, "kecamatan": 3, "desa": 4}
DIGITS = (2, 2, 2, 4)
LABEL = {
    "id": {"provinsi": "Provinsi", "kabupaten": "Kabupaten/Kota", "kecamatan": "Kecamatan",
           "desa": "Desa/Kelurahan"},
    "en": {"provinsi": "Province", "kabupaten": "Regency/City", "kecamatan": "District",
           "desa": "Village"},
}

_CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def is_code(code: str) -> bool:
    return isinstance(code, str) and bool(_CODE_RE.match(code))


def level_of(code: str) -> str:
    """Level of a dotted code; ValueError if it is not one."""
    if not is_code(code):
        raise ValueError(f"kode wilayah tidak valid: {code!r}")
    return LEVELS[code.count(".")]


def child_level(level: str) -> str | None:
    i = LEVELS.index(level)
    return LEVELS[i + 1] if i + 1 < len(LEVELS) else None


def parent_level(level: str) -> str | None:
    i = LEVELS.index(level)
    return LEVELS[i - 1] if i > 0 else None


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def truncate(codes: pd.Series, level: str) -> pd.Series:
    """The ancestor code at ``level`` of every code (vectorised; codes must be at least that deep)."""
    return codes.str.split(".", n=PARTS[level], regex=False).str[: PARTS[level]].str.join(".")


def under(codes: pd.Series, region: str | None) -> np.ndarray:
    """Whether each code is ``region`` or lies under it (bool array; every row when
    ``region`` is empty, none where the code is missing). Any dtype, empty included."""
    if not region:
        return np.ones(len(codes), dtype=bool)
    values = np.asarray(codes, dtype=object)
    return np.fromiter((isinstance(c, str) and (c == region or c.startswith(region + "."))
                        for c in values), dtype=bool, count=len(values))


def normalize_code(value) -> str | None:
    """Normalise a code as typed by people or read from Excel to the dotted form.

    ``6271011001`` (int or str), ``"62.71.01.1001"``, ``" 62 71 01 1001 "`` and
    ``"6271011001.0"`` all give ``"62.71.01.1001"``. Returns None when it cannot be a code.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (int, np.integer)):
        text = str(int(value))
    elif isinstance(value, (float, np.floating)):
        if not float(value).is_integer():
            return None
        text = str(int(value))
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d+\.0", text):
            text = text[:-2]
    if is_code(text):
        return text
    digits = re.sub(r"[\s.\-/]", "", text)
    if not digits.isdigit():
        return None
    cuts, pos, parts = DIGITS, 0, []
    for width in cuts:
        if pos >= len(digits):
            break
        parts.append(digits[pos:pos + width])
        pos += width
    if pos != len(digits) or any(len(p) != w for p, w in zip(parts, cuts)):
        return None
    return ".".join(parts)
