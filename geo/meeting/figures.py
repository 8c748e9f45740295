"""The figures of a follow-up: a region's value, period and rank "k dari N" for one
indicator, computed as the pages compute them (geo.indicators.registry.values and
geo.stats.ranking.rank_table over the region's siblings: the regions of its level under
its parent; rank 1 = worst).

"Then" is taken with the period the view showed when the decision was recorded; "now" is
the latest period with values for the region's level (for a registry indicator: the
registry in use today).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from geo.codes import level_of, parent_code
from geo.indicators import registry as indicators
from geo.stats import ranking

_SURVEY = re.compile(r"^(SSGI|SKI|SSGBI|Riskesdas)\b")


@dataclass(frozen=True)
class Figures:
    nilai: float | None = None
    periode: str | None = None
    peringkat: int | None = None
    dari: int | None = None

    def rank_text(self) -> str:
        """"3 dari 14" ('' without a rank)."""
        return f"{self.peringkat} dari {self.dari}" if self.peringkat is not None else ""


def period_order(period: str) -> tuple:
    """'SSGI 2021' < 'SSGI 2022' < 'SKI 2023' < 'SSGI 2024' (the dashboard's order)."""
    years = re.findall(r"(?:19|20)\d\d", str(period))
    return (int(years[-1]) if years else 0, bool(_SURVEY.match(str(period))), str(period))


def periods(long: pd.DataFrame, indicator: str, level: str, parent: str = "") -> list[str]:
    """Periods with values of ``indicator`` for the regions of ``level`` under ``parent``,
    oldest first; for a registry indicator the registry itself comes last (the default)."""
    rows = indicators.values(long, indicator, level, None, parent or None)
    found = sorted({str(p) for p in rows["period"]}, key=period_order)
    if indicators.REGISTRY_PERIOD in found:
        found = [p for p in found if p != indicators.REGISTRY_PERIOD] + [indicators.REGISTRY_PERIOD]
    return found


def figures(long: pd.DataFrame, indicator: str, region: str,
            period: str | None = None) -> Figures:
    """Value, period and rank of ``region`` among its siblings in ``period`` (the latest
    period when ``period`` is empty or has no values at the region's level)."""
    if not region:
        return Figures()
    indicators.get(indicator)
    level, parent = level_of(region), parent_code(region) or ""
    found = periods(long, indicator, level, parent)
    if not found:
        return Figures()
    use = period if period in found else found[-1]
    rows = indicators.values(long, indicator, level, use, parent or None)
    table = ranking.rank_table(rows, indicator, level, use, parent=parent or None)
    k, n = ranking.position(table, region)
    own = table.loc[table["code"] == region, "value"]
    value = float(own.iloc[0]) if len(own) and pd.notna(own.iloc[0]) else None
    return Figures(value, use, k, n if k is not None else None)


def needs_hazards(indicator_ids) -> bool:
    return any(str(i).startswith(("bahaya_", "posyandu_bahaya")) for i in indicator_ids)


def long_for_regions(indicator_ids, regions) -> pd.DataFrame:
    """The long table (geo.datasets.long_table) with what ``figures`` needs for these
    indicators and regions: published values, and the registry aggregated to the regions'
    levels from the Posyandu under their parents only (the command line; the dashboard
    passes its own cached table)."""
    from geo import datasets
    if all(indicators.get(i).source != "registri" for i in indicator_ids):
        return datasets.long_table()
    regions = [r for r in regions if r]
    levels = tuple(dict.fromkeys(level_of(r) for r in regions)) or ("provinsi",)
    parents = {parent_code(r) or "" for r in regions}
    joined = datasets.joined_posyandu()
    if "" not in parents:
        codes = joined["kode_agregasi"].astype(str)
        keep = pd.Series(False, index=joined.index)
        for p in parents:
            keep |= codes.str.startswith(p + ".") | (codes == p)
        joined = joined.loc[keep.to_numpy()]
    hazard = datasets.hazard_classes(joined) if needs_hazards(indicator_ids) else None
    return datasets.long_table(joined, levels, hazard)
