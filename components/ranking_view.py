"""Ranking table, bar chart and the selected region's position for the Peringkat page."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data
from components.i18n import t
from geo import indicators, ranking
from geo.codes import level_of, parent_code


def ranking_table(indicator: str, level: str, period: str, compare: str | None,
                  region: str) -> pd.DataFrame:
    """geo.ranking.rank_table over the regions of ``level`` under ``region``, fed with
    only the rows of the two periods (data.values), not the whole long table."""
    rows = [data.values(indicator, level, p, region or None)
            .assign(indicator=indicator, level=level, period=p) for p in (period, compare) if p]
    return ranking.rank_table(pd.concat(rows, ignore_index=True), indicator, level, period,
                              compare, parent=region or None, names=data.names())


def show_position(indicator: str, region: str, period: str, compare: str | None,
                  lang: str) -> None:
    """"Kalimantan Tengah: peringkat 11 dari 34" among its siblings (and the change)."""
    if not region:
        return
    level = level_of(region)
    table = ranking_table(indicator, level, period, compare, parent_code(region) or "")
    k, n = ranking.position(table.dropna(subset=["rank"]), region) if len(table) else (None, 0)
    if n == 0:  # no sibling has a value in this period: nothing to rank against
        return
    text = t("region_position", region=data.region_name(region),
             position=ranking.describe(k, n, lang))
    delta = None
    if compare and len(table):
        row = table.loc[table["code"] == region]
        if len(row) and pd.notna(row["rank_prev"].iloc[0]):
            delta = (f"{compare}: " + ranking.describe(int(row["rank_prev"].iloc[0]),
                                                        int(row["of_prev"].iloc[0]), lang))
    st.metric(t("rank") + f" — {period}", text, delta=delta, delta_color="off")


def rank_chart(table: pd.DataFrame, indicator: str, lang: str) -> None:
    """Horizontal bars of the values, worst first (rank 1 on top)."""
    rows = table.dropna(subset=["value"]).copy()
    if rows.empty:
        return
    ind = indicators.get(indicator)
    short = rows["name"].astype(str).str.replace(r"^Kabupaten ", "Kab. ", regex=True)
    rows["label"] = [f"{int(r)}. {n}" for r, n in zip(rows["rank"], short)]
    st.bar_chart(rows, x="label", y="value", horizontal=True, sort=False,
                 height=max(260, 22 * len(rows)), x_label=ind.unit(lang), y_label="",
                 color="#cb181d" if ind.higher_is_worse else "#2171b5")
