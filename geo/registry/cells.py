"""Column operations on cells as read (issue 25): the scalar rules of geo.registry.schema
(is_blank, numbers, flags) applied to whole columns at once.

Cells of a registry are few distinct values repeated (flags, strata, counts, village
codes): each rule runs once per distinct value (``per_value``) and its result is spread
to the rows; what is per row (coordinates, ids) is a single pass without any per-row
dict, closure or message. Messages are built afterwards, only for the rows that fail
(``Problems``).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd


def objects(values) -> np.ndarray:
    """Any column (Series, array, list) as a 1-d object array of the values as read."""
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype=object)
    if isinstance(values, np.ndarray) and values.dtype == object:
        return values
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def nones(n: int) -> np.ndarray:
    return np.full(n, None, dtype=object)


def blank(v) -> bool:
    """geo.registry.schema.is_blank (repeated here: this module is below the schema)."""
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) \
        or (isinstance(v, str) and not v.strip())


_NUMERIC = ("floating", "integer", "mixed-integer-float")


def blank_mask(a: np.ndarray) -> np.ndarray:
    a = objects(a)
    if len(a) and _grouped(a)[0] in _NUMERIC:
        return pd.isna(a)          # numbers and None/NaN only: blank = missing
    return per_value(a, blank).astype(bool)


def stripped(a: np.ndarray, fn) -> np.ndarray:
    """``per_value(a, fn)`` for a rule that gives None for a blank cell and the stripped
    text of any other string (the name, the id): a text column is stripped without a
    call per value."""
    a = objects(a)
    if not len(a) or _grouped(a)[0] != "string":
        return per_value(a, fn)
    _, codes, uniques = _grouped(a)
    missing = codes < 0
    if missing.any() and not np.equal(a[missing], None).all():
        return per_value(a, fn)
    res = np.empty(len(uniques) + 1, dtype=object)
    res[:-1] = [u.strip() or None for u in uniques]
    res[-1] = None
    return res[codes]


def text(v) -> str:
    """A value as a report shows it (geo.registry.schema.problem)."""
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)


def texts(a) -> list[str]:
    return [v if v.__class__ is str else text(v) for v in a]


def _per_object(a: np.ndarray, fn, out: np.ndarray, where=None) -> None:
    cache: dict = {}
    for i in (range(len(a)) if where is None else where):
        v = a[i]
        key = (v.__class__, v)
        try:
            r = cache[key]
        except KeyError:
            r = cache[key] = fn(v)
        except TypeError:     # an unhashable cell
            r = fn(v)
        out[i] = r


_GROUPED: list = []     # the last few columns grouped (a column is asked several rules)


def _grouped(a: np.ndarray) -> tuple[str, np.ndarray | None, np.ndarray | None]:
    """(kind of values, group of each cell, distinct values) of an object column; the
    groups only for text (strings or missing)."""
    for entry in _GROUPED:
        if entry[0] is a:
            return entry[1:]
    kind = pd.api.types.infer_dtype(a, skipna=True)
    codes = uniques = None
    if kind in ("string", "empty"):
        codes, uniques = pd.factorize(a, use_na_sentinel=True)
    _GROUPED.insert(0, (a, kind, codes, uniques))
    del _GROUPED[4:]
    return kind, codes, uniques


def per_value(a: np.ndarray, fn) -> np.ndarray:
    """``[fn(v) for v in a]`` as an object array, computing ``fn`` once per distinct value
    (by type and value). A column of text (every cell a string or missing, as a CSV gives)
    is grouped by pandas' hash table; any other column value by value."""
    a = objects(a)
    n = len(a)
    out = np.empty(n, dtype=object)
    if not n:
        return out
    kind, codes, uniques = _grouped(a)
    if kind not in ("string", "empty"):
        _per_object(a, fn, out)
        return out
    res = np.empty(len(uniques) + 1, dtype=object)
    for k, u in enumerate(uniques):
        res[k] = fn(u)
    missing = np.flatnonzero(codes < 0)
    if len(missing):
        nothing = np.equal(a[missing], None)
        res[-1] = fn(None)
        if not nothing.all():
            _per_object(a, fn, out, missing[~nothing])
            codes = codes.copy()
            codes[missing[~nothing]] = -2      # filled by _per_object, keep them
    keep = codes != -2
    out[keep] = res[codes[keep]]
    return out


def to_number(value) -> float | None:
    """geo.registry.schema._to_number: a cell as a float (None when blank or unreadable)."""
    if blank(value):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    s = str(value).strip().replace(" ", "")
    if s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


def numbers(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(values as float64 — NaN where None —, mask of the cells that gave a number).
    A cell reading "nan" gives a number that is NaN: both are told apart by the mask."""
    a = objects(a)
    if len(a) and _grouped(a)[0] in _NUMERIC:
        ok = ~pd.isna(a)           # numbers and None/NaN only: a number is itself
        return np.where(ok, a, np.nan).astype(float), ok
    vals = per_value(a, to_number)
    ok = np.not_equal(vals, None)
    out = np.where(ok, vals, np.nan).astype(float)
    return out, ok


class Problems:
    """Report rows gathered column by column: ``add`` takes the positions of the failing
    rows of one check with their value and message; ``frame`` puts them in row order, and
    within a row in the order of the checks (``slot``)."""

    def __init__(self, rows: np.ndarray):
        self.rows = np.asarray(rows)
        self.parts: list[tuple] = []

    def add(self, pos, slot: float, column, value, message, level: str) -> None:
        pos = np.asarray(pos, dtype=np.int64)
        if not len(pos):
            return
        n = len(pos)

        def spread(x):
            return [x] * n if isinstance(x, str) else list(x)

        self.parts.append((pos, np.full(n, slot, float), spread(column), spread(value),
                           spread(message), [level] * n))

    def __len__(self) -> int:
        return sum(len(p[0]) for p in self.parts)

    def ordered(self) -> tuple[np.ndarray, list, list, list, list]:
        """(positions, columns, values, messages, levels) sorted by position, then slot."""
        if not self.parts:
            return np.zeros(0, np.int64), [], [], [], []
        pos = np.concatenate([p[0] for p in self.parts])
        slot = np.concatenate([p[1] for p in self.parts])
        order = np.lexsort((np.arange(len(pos)), slot, pos))
        cols = [c for p in self.parts for c in p[2]]
        vals = [c for p in self.parts for c in p[3]]
        msgs = [c for p in self.parts for c in p[4]]
        lvls = [c for p in self.parts for c in p[5]]
        return (pos[order], [cols[i] for i in order], [vals[i] for i in order],
                [msgs[i] for i in order], [lvls[i] for i in order])

    def records(self) -> list[dict]:
        """Report rows (dicts of baris, kolom, nilai, pesan, tingkat) in order."""
        pos, cols, vals, msgs, lvls = self.ordered()
        rows = self.rows[pos].tolist() if len(pos) else []
        return [{"baris": int(r), "kolom": c, "nilai": v, "pesan": m, "tingkat": t}
                for r, c, v, m, t in zip(rows, cols, vals, msgs, lvls)]
