"""Trend of one region's survey values (2021→2024) against the national line and the
national targets (Altair, which ships with Streamlit)."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from components import data
from components.i18n import fmt_number, t, with_locale
from geo.codes import level_of, parent_code
from geo.indicators import published
from geo.indicators import registry as indicators


def region_series(indicator: str, region: str) -> pd.DataFrame:
    """period, year, value of a region's published (or imported) values, oldest first."""
    level, parent = level_of(region), parent_code(region) or None
    rows = []
    for period in data.periods(indicator, level, parent):
        found = data.values(indicator, level, period, parent)
        value = found.loc[found["code"] == region, "value"].dropna()
        if len(value):
            rows.append((period, data.period_year(period), float(value.iloc[0])))
    return pd.DataFrame(rows, columns=["period", "year", "value"])


def trend_frame(indicator: str, region: str) -> pd.DataFrame:
    """Long frame for the chart: series (label), period, year, value."""
    national = published.national_series(indicator).assign(series=t("national"))
    if not region:
        return national
    own = region_series(indicator, region).assign(series=data.region_name(region))
    return pd.concat([own, national], ignore_index=True)


def show_trend(indicator: str, region: str, lang: str) -> None:
    """Line chart of the region and Indonesia with the target lines; nothing for
    indicators without survey values."""
    ind = indicators.get(indicator)
    if ind.source == "registri":
        return
    spec = trend_spec(data.data_version(), indicator, region, lang)
    if spec is None:
        return
    st.header(t("trend_title", indicator=ind.label(lang), region=data.region_name(region)))
    st.vega_lite_chart(spec, width="stretch")
    notes = [t("trend_sources")]
    if region and region.split(".")[0] in {*published.PAPUA_OLD, *published.PAPUA_NEW}:
        notes.append(t("trend_papua"))
    st.caption(" ".join(notes))


@st.cache_data(show_spinner=False, max_entries=512)
def trend_spec(dv: str, indicator: str, region: str, lang: str) -> dict | None:
    """The chart's Vega-Lite specification (data included), per data version, indicator,
    region and language: Altair builds and validates it once (~0.2 s), not on every view."""
    ind = indicators.get(indicator)
    frame = trend_frame(indicator, region)
    if frame.empty:
        return None
    years = alt.Scale(domain=[int(frame["year"].min()), 2029], nice=False)
    base = alt.Chart(frame).encode(
        x=alt.X("year:Q", scale=years, title=t("year"), axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("value:Q", title=ind.unit(lang), scale=alt.Scale(zero=True)),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("series:N", title=t("region")), alt.Tooltip("period:N", title=t("survey")),
                 alt.Tooltip("value:Q", title=ind.unit(lang), format=",.1f")])
    layers = [base.mark_line(point=alt.OverlayMarkDef(size=70), strokeWidth=3)]
    if indicator == "stunting":
        targets = pd.DataFrame([
            {"year": y, "value": v, "label": t("target_label", value=fmt_number(
                v, 0 if float(v).is_integer() else 1, lang), year=y, source=s)}
            for y, v, s in published.STUNTING_TARGETS])
        rule = alt.Chart(targets).encode(y="value:Q")
        layers += [rule.mark_rule(strokeDash=[6, 4], color="#238b45"),
                   alt.Chart(targets).mark_point(shape="diamond", size=120, filled=True,
                                                 color="#238b45").encode(
                       x="year:Q", y="value:Q",
                       tooltip=[alt.Tooltip("label:N", title=t("target"))]),
                   alt.Chart(targets).mark_text(align="right", dx=-8, dy=-9, color="#238b45",
                                                fontSize=13).encode(x="year:Q", y="value:Q",
                                                                    text="label:N")]
    return with_locale(alt.layer(*layers).properties(height=300).to_dict(), lang)
