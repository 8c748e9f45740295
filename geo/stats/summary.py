"""The facts of a map's one-sentence text summary (read by a screen reader before the
map; the sentence itself is written by components.map.access in the visitor's language):
how many regions, the highest and the lowest value, how many without data."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class MapSummary:
    n: int                                  # regions drawn
    n_missing: int                          # regions without a value
    highest: tuple[str, float] | None       # (code, value); ties: the smallest code
    lowest: tuple[str, float] | None


def summarise(codes: Sequence[str], values: Sequence[float]) -> MapSummary:
    """Summary of a choropleth: ``codes`` of the regions drawn and their ``values``
    (NaN or None = no data)."""
    frame = pd.DataFrame({"code": [str(c) for c in codes],
                          "value": pd.to_numeric(pd.Series(list(values), dtype=object),
                                                 errors="coerce").astype(float)})
    known = frame.loc[np.isfinite(frame["value"].to_numpy())]
    if known.empty:
        return MapSummary(len(frame), len(frame), None, None)
    hi = known.sort_values(["value", "code"], ascending=[False, True]).iloc[0]
    lo = known.sort_values(["value", "code"], ascending=[True, True]).iloc[0]
    return MapSummary(len(frame), len(frame) - len(known),
                      (hi["code"], float(hi["value"])), (lo["code"], float(lo["value"])))
