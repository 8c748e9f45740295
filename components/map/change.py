"""The change map on screen (issue 26): the values, classes and colours of
geo.stats.change for the regions on the map, with the not-comparable regions in their own
colour and their reason in the tooltip. Chosen on the Peringkat page ("Peta: perubahan",
``?peta=perubahan&banding=SKI 2023``) and exported by the same buttons as any map."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import data
from components.i18n import fmt_number, lang, pick
from geo.indicators import registry as indicators
from geo.stats import change as geo_change
from geo.stats import classify as geo_classify
from geo.stats import ranking

TEXT = {
    "title": ("Perubahan {indicator} per {level} — {region} ({compare} → {period})",
              "Change in {indicator} by {level} — {region} ({compare} → {period})"),
    "from_to": ("{compare}: {prev} → {period}: {now}", "{compare}: {prev} → {period}: {now}"),
    "not_comparable": ("tidak dapat dibandingkan", "not comparable"),
    "rule": ("Perubahan = {period} − {compare} (poin persen untuk persentase); kelas simetris "
             "di sekitar 0: biru membaik, merah memburuk.",
             "Change = {period} − {compare} (percentage points for a percentage); classes "
             "symmetric around 0: blue improved, red worsened."),
    "need_compare": ("Pilih survei pembanding untuk melihat peta perubahan.",
                     "Choose a survey to compare with to see the change map."),
}


def text(key: str, **values) -> str:
    return pick(TEXT[key], **values)


@dataclass
class ChangeView:
    indicator: indicators.Indicator           # the change as an indicator (unit pp)
    values: pd.DataFrame                      # code, name, value (= change), rank, of, unstable
    classification: geo_classify.Classification
    colors: list[str]
    fills: dict[str, str]                     # not comparable: code → colour
    notes: dict[str, str]                     # code → tooltip note (from → to, or reason)
    not_comparable: int


def change_view(indicator_id: str, level: str, period: str, compare: str, region: str,
                codes: pd.Series) -> ChangeView:
    """The change map's layer values for the regions ``codes`` (cached per data version)."""
    return _change_view(data.data_version(), indicator_id, level, period, compare, region,
                        tuple(codes), lang())


@st.cache_resource(max_entries=256, show_spinner=False)
def _change_view(dv: str, indicator_id: str, level: str, period: str, compare: str,
                 region: str, codes: tuple, language: str) -> ChangeView:
    ind = indicators.get(indicator_id)
    rows = [data.values(indicator_id, level, p, region or None)
            .assign(indicator=indicator_id, level=level, period=p) for p in (period, compare)]
    ch = geo_change.change_values(pd.concat(rows, ignore_index=True), indicator_id, level,
                                  period, compare, parent=region or None, names=data.names(),
                                  universe=list(codes))
    v = ch.values
    vals = pd.DataFrame({"code": v["code"], "name": v["name"], "value": v["change"],
                         "unstable": False})
    ranked = ranking.rank_frame(vals[["code", "value"]], ind.higher_is_worse)
    vals = vals.merge(ranked[["code", "rank", "of"]], on="code", how="left")
    unit = ind.unit(language)
    notes, fills = {}, {}
    for code, now, prev, reason in zip(v["code"], v["value"], v["value_prev"], v["reason"]):
        if isinstance(reason, str):
            notes[code] = f"{text('not_comparable')}: {reason}"
            fills[code] = geo_change.NOT_COMPARABLE_COLOR
        elif pd.notna(now) and pd.notna(prev):
            notes[code] = text("from_to", compare=compare, period=period,
                               prev=f"{fmt_number(prev, ind.decimals)} {unit}",
                               now=f"{fmt_number(now, ind.decimals)} {unit}")
    return ChangeView(indicator=geo_change.change_indicator(ind), values=vals,
                      classification=ch.classification, colors=ch.colors, fills=fills,
                      notes=notes, not_comparable=len(fills))


def legend_entry(cv: ChangeView) -> list[tuple[str, str]]:
    if not cv.not_comparable:
        return []
    return [(f"background:{geo_change.NOT_COMPARABLE_COLOR};border:1px solid #555",
             f"{text('not_comparable')} ({cv.not_comparable})")]

