"""A sorted universe of region codes with the hierarchy precomputed as integers.

The join gives every Posyandu a position in such a table (``kode_agregasi`` is a Categorical
whose categories are the table's codes), and aggregation then works on integers only:
per-code sums by ``bincount``, each level's sums by adding contiguous runs — in a sorted list
of dotted codes ("62.71.01.1001"), all codes of one kecamatan, kabupaten or provinsi are
next to each other, so a level's regions are runs of equal prefixes.

Building a table sorts and cuts the strings once (tens of milliseconds for the 83,762
villages); the join index builds its table with the polygons, so a join and its
aggregation do no string work per Posyandu.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

CODE_LENGTH = {"provinsi": 2, "kabupaten": 5, "kecamatan": 8, "desa": 13}  # "62.71.01.1001"


class CodeTable:
    """Sorted unique codes; ``villages`` (sorted fixed-width array) is the Kemendagri desa
    list, used to tell which codes are known villages and how many villages a region has."""

    def __init__(self, codes, villages: np.ndarray, register: bool = True):
        self.codes = np.unique(_text(codes))
        self.villages = villages
        self.is_village = member(self.codes, villages)
        self.dtype = pd.CategoricalDtype(pd.Index(self.codes.astype(object), dtype=object))
        self._lookup = pa.array(self.codes.astype(object), type=pa.string())
        self._parents: dict[str, np.ndarray] = {}
        self._groups: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._village_counts: dict[str, np.ndarray] = {}
        self._dtypes: dict[tuple[str, ...], pd.CategoricalDtype] = {}
        if register:  # its categoricals (a join's kode_agregasi) will be recognised
            _register(self)

    def __len__(self) -> int:
        return len(self.codes)

    def positions(self, values) -> np.ndarray:
        """Position of each value (strings: NumPy, pandas or Arrow) in the table, -1 where
        it is not in it (a hash lookup in Arrow, no per-value Python)."""
        values = _arrow(values)
        if len(self.codes) == 0 or len(values) == 0:
            return np.full(len(values), -1, dtype=np.int64)
        found = pc.index_in(values, value_set=self._lookup)
        return found.fill_null(-1).to_numpy().astype(np.int64)

    def parent_positions(self, level: str) -> np.ndarray:
        """For each table code, the table position of its ancestor code at ``level`` (-1
        when the code is shallower or the ancestor is not in the table)."""
        if level not in self._parents:
            n = CODE_LENGTH[level]
            deep = np.char.str_len(self.codes) >= n
            self._parents[level] = np.where(deep, self.positions(self.codes.astype(f"U{n}")), -1)
        return self._parents[level]

    def categorical(self, positions: np.ndarray) -> pd.Categorical:
        """Categorical of table codes from positions (-1 = missing), no string copied."""
        return pd.Categorical.from_codes(positions, dtype=self.dtype)

    def groups(self, level: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rows, starts, codes) of ``level``: the table rows deep enough for that level
        (a kecamatan code has no desa), where each region's run starts among those rows,
        and the region codes (object array)."""
        if level not in self._groups:
            n = CODE_LENGTH[level]
            rows = np.flatnonzero(np.char.str_len(self.codes) >= n)
            prefix = self.codes[rows].astype(f"U{n}")
            change = np.r_[True, prefix[1:] != prefix[:-1]] if len(prefix) else np.zeros(0, bool)
            starts = np.flatnonzero(change)
            self._groups[level] = (rows, starts, prefix[starts].astype(object))
        return self._groups[level]

    def sums(self, by_code: np.ndarray, level: str, select: np.ndarray | None = None,
             out: np.ndarray | None = None) -> np.ndarray:
        """Sums of ``by_code`` (one column per table code, one row per quantity) over each
        region of ``level``: one column per region, in the order of ``groups(level)``
        (only the regions ``select`` when given), written into ``out`` when given."""
        rows, starts, _ = self.groups(level)
        if len(starts) == len(rows):        # one code per region (desa): nothing to add
            picked = rows if select is None else rows[select]
            if out is None:
                return by_code[:, picked]
            return np.take(by_code, picked, axis=1, out=out, mode="clip")
        if len(starts) == 0:
            result = np.zeros((by_code.shape[0], 0))
        else:
            if len(rows) < len(self.codes):
                by_code = by_code[:, rows]
            result = np.add.reduceat(by_code, starts, axis=1)
        if select is not None:
            result = result[:, select]
        if out is None:
            return result
        out[...] = result
        return out

    def regions_dtype(self, levels: tuple[str, ...]) -> pd.CategoricalDtype:
        """Categorical dtype of the region codes of ``levels`` (in that order), whose
        category k + offset of a level is region k of ``groups(level)``."""
        key = tuple(levels)
        if key not in self._dtypes:
            codes = np.concatenate([self.groups(level)[2] for level in levels])
            self._dtypes[key] = pd.CategoricalDtype(pd.Index(codes, dtype=object))
        return self._dtypes[key]

    def village_counts(self, level: str) -> np.ndarray:
        """Number of Kemendagri villages in each region of ``level`` (NaN where none)."""
        if level not in self._village_counts:
            n = CODE_LENGTH[level]
            prefix = self.villages.astype(f"U{n}")
            change = np.r_[True, prefix[1:] != prefix[:-1]] if len(prefix) else np.zeros(0, bool)
            starts = np.flatnonzero(change)
            counts = np.diff(np.r_[starts, len(prefix)]).astype(float)
            own = np.asarray(self.groups(level)[2], dtype=f"U{n}")
            if len(starts):
                uniq = prefix[starts]
                pos = np.minimum(np.searchsorted(uniq, own), len(uniq) - 1)
                out = np.where(uniq[pos] == own, counts[pos], np.nan)
            else:
                out = np.full(len(own), np.nan)
            self._village_counts[level] = out
        return self._village_counts[level]


def _arrow(values) -> pa.Array:
    """Strings as an Arrow string array (zero-copy for pandas' Arrow-backed strings)."""
    if isinstance(values, (pd.Index, pd.Series)):
        values = values.array
    if not isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = pa.array(values, from_pandas=True)
    if not pa.types.is_string(values.type):
        values = values.cast(pa.string())
    return values


def _text(values) -> np.ndarray:
    """Values as a NumPy string array as wide as the longest one (never cut to 13
    characters: "62.71.01.10011" must not match "62.71.01.1001")."""
    values = np.asarray(values)
    return values if values.dtype.kind == "U" else values.astype(str)


def member(values, sorted_codes: np.ndarray) -> np.ndarray:
    """Vectorised membership of strings in a sorted array."""
    values = _text(values)
    if len(sorted_codes) == 0 or len(values) == 0:
        return np.zeros(len(values), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_codes, values), len(sorted_codes) - 1)
    return sorted_codes[pos] == values


# Tables by the identity of their categories, so aggregate() recognises a join's output.
_TABLES: dict[int, CodeTable] = {}
_MAX_TABLES = 8


def _register(table: CodeTable) -> None:
    if len(_TABLES) >= _MAX_TABLES:
        _TABLES.pop(next(iter(_TABLES)))
    _TABLES[id(table.dtype.categories)] = table


def table_of(categories: pd.Index) -> CodeTable | None:
    """The table whose Categorical dtype has exactly these categories (same object)."""
    table = _TABLES.get(id(categories))
    return table if table is not None and table.dtype.categories is categories else None
