"""Ranks with their uncertainty (issue 26): the range of ranks each region's 95 % interval
allows, and the words for it ("peringkat 3–7 dari 14").

With rank 1 the worst, for an indicator where higher is worse (stunting)::

    rank_low_i  = 1 + #{j : ci_low_j > ci_high_i}    (regions surely worse than i)
    rank_high_i =     #{j : ci_high_j ≥ ci_low_i}    (regions possibly at least as bad, i included)

and the mirror image where lower is worse. ``rank_low ≤ rank ≤ rank_high`` always holds for
the competition rank of geo.stats.ranking. Regions whose ranges overlap are statistically
tied. Ranges need an interval for every ranked region: where one is missing (published
values: "interval tidak dipublikasikan") no range is given, never one from a guess.

This module only adds columns to a ``geo.stats.ranking.rank_table``; the ranking itself and
its wording stay in geo.stats.ranking.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from geo.indicators import registry as indicators

UNCERTAINTY_COLUMNS = ["ci_low", "ci_high", "rse", "rank_low", "rank_high"]


def rank_ranges(ci_low, ci_high, higher_is_worse: bool = True
                ) -> tuple[np.ndarray, np.ndarray]:
    """(rank_low, rank_high) of every region from its interval (arrays of equal length,
    all finite: the regions ranked together)."""
    lo = np.asarray(ci_low, dtype=float)
    hi = np.asarray(ci_high, dtype=float)
    if higher_is_worse:
        surely_worse = lo[None, :] > hi[:, None]        # [i, j]: j surely worse than i
        maybe_as_bad = hi[None, :] >= lo[:, None]
    else:
        surely_worse = hi[None, :] < lo[:, None]
        maybe_as_bad = lo[None, :] <= hi[:, None]
    return 1 + surely_worse.sum(axis=1), maybe_as_bad.sum(axis=1)


def with_uncertainty(table: pd.DataFrame, long: pd.DataFrame, indicator: str, level: str,
                     period: str, parent: str | None = None) -> pd.DataFrame:
    """A ranking (geo.stats.ranking.rank_table) with ``ci_low, ci_high, rse, rank_low,
    rank_high`` added before ``catatan``: the interval and RSE of each region's value in
    ``period`` and its range of ranks among the regions ranked. Published values have no
    interval, so no range; the reason is added to ``catatan``."""
    ind = indicators.get(indicator)
    rows = indicators.values(long, indicator, level, period, parent)
    rows = rows.assign(code=rows["code"].astype(str)).drop_duplicates("code").set_index("code")
    out = table.copy()
    codes = out["code"].astype(str)
    for col in ("ci_low", "ci_high", "rse"):
        src = rows[col] if col in rows else pd.Series(dtype=float)
        out[col] = codes.map(src.astype(float)).round(3).to_numpy()
    ranked = out["rank"].notna().to_numpy()
    out["rank_low"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["rank_high"] = pd.array([pd.NA] * len(out), dtype="Int64")
    lo, hi = out["ci_low"].to_numpy(dtype=float), out["ci_high"].to_numpy(dtype=float)
    has_interval = np.isfinite(lo) & np.isfinite(hi)
    if ranked.any() and has_interval[ranked].all():
        low, high = rank_ranges(lo[ranked], hi[ranked], ind.higher_is_worse)
        out.loc[ranked, "rank_low"] = low
        out.loc[ranked, "rank_high"] = high
    elif ranked.any():
        note = rows["ci_note"] if "ci_note" in rows else pd.Series(dtype=object)
        reason = codes.map(note.astype(object)).fillna("tanpa interval")
        notes = out["catatan"].astype(object).where(out["catatan"].notna(), None)
        out["catatan"] = [
            "; ".join(filter(None, (c, f"rentang peringkat tidak dihitung: {r}"))) if k else c
            for c, r, k in zip(notes, reason, ranked)]
    cols = [c for c in out.columns if c not in UNCERTAINTY_COLUMNS and c != "catatan"]
    return out[cols + UNCERTAINTY_COLUMNS + ["catatan"]]


def describe_range(rank_low, rank_high, n: int, lang: str = "id") -> str:
    """"peringkat 3–7 dari 14" (statistically tied with the regions of that range), or
    "peringkat 3 dari 14" when the interval allows one rank only."""
    if rank_low is None or pd.isna(rank_low) or rank_high is None or pd.isna(rank_high):
        return "tidak ada data" if lang == "id" else "no data"
    lo, hi = int(rank_low), int(rank_high)
    span = str(lo) if lo == hi else f"{lo}–{hi}"
    return f"peringkat {span} dari {n}" if lang == "id" else f"rank {span} of {n}"


def tied(table: pd.DataFrame, code: str) -> list[str]:
    """Codes statistically tied with ``code`` in a ranking with ranges: those whose range
    of ranks overlaps its range (itself excluded)."""
    t = table.loc[table["rank_low"].notna() & table["rank_high"].notna()]
    me = t.loc[t["code"] == code]
    if me.empty:
        return []
    lo, hi = int(me["rank_low"].iloc[0]), int(me["rank_high"].iloc[0])
    overlap = (t["rank_low"] <= hi) & (t["rank_high"] >= lo) & (t["code"] != code)
    return list(t.loc[overlap, "code"])
