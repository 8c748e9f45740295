"""Trend of one region's published stunting values (2021→2024) against the national line,
its province and the national targets: the meeting pack's chart (geo.export.charts) drawn
by the server as an SVG picture, so the page and the slides show the same chart and a page
change loads no chart library (issue 29); its values in a table under it. Its CSS (the
wide chart, or on a phone the narrow one) is in components.style."""
from __future__ import annotations

import base64
import html

import pandas as pd
import streamlit as st

from components import data, tables
from components.i18n import fmt_number, t
from geo.export import charts
from geo.indicators import published
from geo.indicators import registry as indicators


def show_trend(region: str, lang: str) -> None:
    """The stunting trend of ``region`` (Indonesia when empty): heading, chart, sources and
    its values as a table behind a disclosure (for everyone: keyboard, screen reader, a
    value to quote), as one element."""
    st.html(trend_block(data.data_version(), region, lang))


@st.cache_data(show_spinner=False, max_entries=512)
def trend_block(dv: str, region: str, lang: str) -> str:
    """The chart's HTML per data version, region and language (matplotlib draws it once,
    ~0.1–0.2 s; then every view sends the cached text). The SVG is an image (a data URL):
    the browser draws it without parsing it into the page."""
    long = data.long_table()
    title = t("trend_title", indicator=indicators.get("stunting").label(lang),
              region=data.region_name(region))
    alt = html.escape(t("trend_alt", title=title), quote=True)
    images = []
    for kind, narrow in (("wide", False), ("narrow", True)):
        svg, meta = charts.trend_svg(long, region, lang, narrow=narrow)
        url = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        images.append(f"<img class='pp-trend-{kind}' src='{url}' alt='{alt}'>")
    notes = [t("trend_sources")]
    if region and region.split(".")[0] in {*published.PAPUA_OLD, *published.PAPUA_NEW}:
        notes.append(t("trend_papua"))
    return (f"<section class='pp-trend'><h2>{html.escape(title)}</h2><figure>"
            f"{''.join(images)}<figcaption>{html.escape(' '.join(notes))}</figcaption>"
            f"</figure><details><summary>{html.escape(t('trend_values'))}</summary>"
            f"{_values_table(meta['lines'], title)}</details></section>")


def _values_table(lines: dict[str, list[dict]], title: str) -> str:
    """What the chart shows, as the table below a map is drawn (components.tables): one
    row per survey, one column per line, "22,1 %" as in Bahasa Indonesia."""
    frames = [pd.DataFrame(rows).set_index("period")["value"].rename(name)
              for name, rows in lines.items() if rows]
    table = pd.concat(frames, axis=1)
    table = table.loc[sorted(table.index, key=lambda p: (data.period_year(p) or 0, p))]
    shown = table.map(lambda v: "" if pd.isna(v) else f"{fmt_number(v, 1)} %")
    return tables.html_table(shown.rename_axis(t("survey")).reset_index(), title)
