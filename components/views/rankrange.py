"""Peringkat page: the range of ranks each region's 95 % interval allows, beside its rank
(issue 26). Regions whose ranges overlap are statistically tied; published values have no
interval, so no range ("interval tidak dipublikasikan")."""
from __future__ import annotations

import pandas as pd

from components import data
from components.i18n import fmt_number, pick
from geo.indicators import registry as indicators
from geo.stats import rankrange

COLUMN = ("Rentang peringkat (95 %)", "Rank range (95%)")
INTERVAL = ("Selang 95 %", "95% interval")


def add_rank_ranges(shown: pd.DataFrame, table: pd.DataFrame, indicator: str, level: str,
                    period: str, region: str) -> pd.DataFrame:
    """``shown`` (display_rank_table of ``table``) with the 95 % interval and the rank
    range of each region, when the values have intervals (registry proportions)."""
    rows = data.values(indicator, level, period, region or None).assign(
        indicator=indicator, level=level, period=period)
    if rows.empty or rows["ci_low"].isna().all():
        return shown
    ranged = rankrange.with_uncertainty(table, rows, indicator, level, period, region or None)
    dec = indicators.get(indicator).decimals
    out = shown.copy()
    out[pick(INTERVAL)] = ["" if pd.isna(lo) else f"{fmt_number(lo, dec)}–{fmt_number(hi, dec)}"
                           for lo, hi in zip(ranged["ci_low"], ranged["ci_high"])]
    out[pick(COLUMN)] = [
        "" if pd.isna(lo) else (str(int(lo)) if lo == hi else f"{int(lo)}–{int(hi)}")
        for lo, hi in zip(ranged["rank_low"], ranged["rank_high"])]
    return out
