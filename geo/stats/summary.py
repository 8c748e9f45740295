"""The facts of a map's one-sentence text summary (read by a screen reader before the
map; the sentence itself is written by components.map.access in the visitor's language):
how many regions, the highest and the lowest value, how many without data."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MapSummary:
    n: int                                  # regions drawn
    n_missing: int                          # regions without a value
    highest: tuple[str, float] | None       # (code, value); ties: the smallest code
    lowest: tuple[str, float] | None


def summarise(codes: Sequence[str], values: Sequence[float]) -> MapSummary:
    """Summary of a choropleth: ``codes`` of the regions drawn and their ``values``
    (NaN, None or anything not a number = no data). Plain Python: a map has at most a few
    hundred regions, and the maps ask on every view."""
    known = [(str(c), x) for c, x in zip(codes, map(_number, values)) if math.isfinite(x)]
    n = len(codes)
    if not known:
        return MapSummary(n, n, None, None)
    hi = min(known, key=lambda p: (-p[1], p[0]))
    lo = min(known, key=lambda p: (p[1], p[0]))
    return MapSummary(n, n - len(known), hi, lo)


def _number(value) -> float:
    """A value as float; NaN for no value (None, NA, text that is not a number)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan
