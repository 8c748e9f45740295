"""Ranking table, bar chart and the selected region's position (Peringkat and map pages).

Every position is said with the number of regions it is counted over and the regions that
have no value, so a quoted "peringkat 18 dari 35" is never read as "of 38"."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from components import data
from components.i18n import fmt_number, t, with_locale
from components.view_model import ranked_view
from geo.codes import LABEL, level_of, parent_code
from geo.indicators import registry as indicators
from geo.stats import ranking


def ranking_table(indicator: str, level: str, period: str, compare: str | None,
                  region: str) -> pd.DataFrame:
    """The view model's ranking (geo.views.ranked, cached per data version) of the regions
    of ``level`` under ``region``: the same numbers as the map, the exports and the CLI."""
    return ranked_view(indicator, level, period, compare, region).table


def coverage_text(table: pd.DataFrame, level: str, period: str, compare: str | None,
                  lang: str) -> str:
    """"dihitung dari 35 provinsi yang nilainya terbit; belum ada: Jawa Tengah, …"."""
    n, missing = ranking.coverage(table)
    names = data.names()
    missing_names = ", ".join(str(names.get(c, c)) for c in missing[:12])
    if len(missing) > 12:
        missing_names += t("and_n_more", n=len(missing) - 12)
    key = "rank_counted_compare" if compare else "rank_counted"
    text = t(key, n=n, level=LABEL[lang][level].lower(), period=period, compare=compare or "")
    if missing:
        text += "; " + t("rank_not_compared" if compare else "rank_missing", names=missing_names)
    return text


def _box(text: str, sub: str = "", large: bool = False) -> None:
    """A key figure (the region's rank) in large type, wrapping instead of being cut off."""
    size = "2.1rem" if large else "1.45rem"
    st.markdown(
        f"<div class='pp-keyfig' style='overflow-wrap:anywhere;white-space:normal;"
        f"line-height:1.25;margin:.1rem 0 .4rem 0'>"
        f"<div style='font-size:{size};font-weight:700'>{html.escape(text)}</div>"
        + (f"<div style='font-size:.95rem;color:#4a5560'>{html.escape(sub)}</div>" if sub else "")
        + "</div>", unsafe_allow_html=True)


def position_lines(indicator: str, region: str, period: str, compare: str | None,
                   lang: str) -> tuple[str, str] | None:
    """(headline, detail) of a region's position among its siblings, or None when no
    sibling has a value in ``period``. The rank is the view model's sentence: the rank in
    the period, and — where a comparison ranks over fewer regions — that rank too."""
    level = level_of(region)
    parent = parent_code(region) or ""
    view = ranked_view(indicator, level, period, compare, parent)
    table = view.table
    if not view.of:
        return None
    pos = view.position(region)
    headline = t("region_position", region=data.region_name(region),
                 position=view.rank_text(region, lang)) + f" ({period})"
    detail = coverage_text(table, level, period, compare, lang)
    if compare:
        if pos.rank_change is not None:
            ind = indicators.get(indicator)
            headline += " · " + ranking.describe_change(pos.rank_change, lang) + \
                f" {t('since')} {compare}"
            change = fmt_number(pos.value_change, ind.decimals, lang)
            detail = t("value_change_text", compare=compare,
                       prev=fmt_number(pos.value_prev, ind.decimals, lang),
                       now=fmt_number(pos.value, ind.decimals, lang),
                       change=("+" if pos.value_change > 0 else "") + change,
                       unit=t("pp") if ind.unit_id == "%" else ind.unit(lang)) + " " + detail
        elif pos.rank is not None:
            detail = t("not_compared", compare=compare) + " " + detail
    return headline, detail


def show_position(indicator: str, region: str, period: str, compare: str | None,
                  lang: str, large: bool = False) -> None:
    """"Kalimantan Tengah: peringkat 18 dari 35 (SKI 2023)" among its siblings, how many
    regions it is counted over, and the change against ``compare``."""
    if not region:
        return
    lines = position_lines(indicator, region, period, compare, lang)
    if lines:
        headline, detail = lines
        if large:   # projector: the count without the list of names, so the map fits
            detail = detail.split("; ")[0]
        _box(headline, detail, large=large)


def show_own_rank(indicator: str, region: str, period: str, lang: str,
                  compare: str | None = None, large: bool = False) -> None:
    """A province (or regency) view maps the level below; this shows the region's own
    rank among its siblings for the same survey, or for the latest survey that ranks it
    (and the change against ``compare`` when that survey ranks it too)."""
    if not region:
        return
    level, parent = level_of(region), parent_code(region) or ""
    own = data.periods(indicator, level, parent or None)
    if not own:
        return
    use = period if period in own else own[-1]
    show_position(indicator, region, use, compare if compare in own and compare != use else None,
                  lang, large=large)


def display_rank_table(table: pd.DataFrame, indicator: str, lang: str) -> pd.DataFrame:
    """The ranking in the UI language: labelled columns, integers as integers, the rank
    movement in words. With a comparison, "Peringkat" is the rank in the survey over every
    region with a value (as the map and the key figure say it) and the rank over the
    regions with values in both surveys is its own column."""
    ind = indicators.get(indicator)
    out = pd.DataFrame({t("code"): table["code"], t("name"): table["name"].fillna("")})
    value_label = f"{ind.label(lang)} ({ind.unit(lang)})"
    compared = "rank_prev" in table
    out[t("rank")] = table["rank_all" if compared else "rank"]
    out[t("of_n")] = table["of_all" if compared else "of"]
    out[value_label] = table["value"].round(ind.decimals)
    if compared:
        unit = t("pp") if ind.unit_id == "%" else ind.unit(lang)
        out[t("rank_both")] = table["rank"]
        out[t("rank_prev")] = table["rank_prev"]
        out[t("value_prev")] = table["value_prev"].round(ind.decimals)
        out[t("value_change_col", unit=unit)] = table["value_change"]
        out[t("rank_change")] = [ranking.describe_change(c, lang) for c in table["rank_change"]]
    out[t("note")] = table[ranking.NOTE].fillna("")
    return out


def _short(names: pd.Series) -> pd.Series:
    return names.fillna("").astype(str).str.replace(r"^Kabupaten ", "Kab. ", regex=True)


def rank_chart(table: pd.DataFrame, indicator: str, lang: str) -> None:
    """Without a comparison: bars of the values, worst first (rank 1 on top). With one:
    bars of the change of the value (percentage points for a percentage) in the order of
    ``table`` (the order chosen), each region labelled with its rank move."""
    ind = indicators.get(indicator)
    if "value_change" in table:
        rows = table.dropna(subset=["value_change", "rank"]).reset_index(drop=True)
        if rows.empty:
            return
        worse = (rows["value_change"] > 0) if ind.higher_is_worse else (rows["value_change"] < 0)
        unit = t("pp") if ind.unit_id == "%" else ind.unit(lang)
        frame = pd.DataFrame({
            "wilayah": [f"{n} ({int(a)} → {int(b)})" for n, a, b in
                        zip(_short(rows["name"]), rows["rank_prev"], rows["rank"])],
            "perubahan": rows["value_change"].astype(float),
            "arah": [t("change_worse") if w else t("change_better") for w in worse],
            "peringkat": [ranking.describe_change(c, lang) for c in rows["rank_change"]]})
        spec = _change_spec(frame, unit, ind.decimals, lang)
    else:
        rows = table.dropna(subset=["value", "rank"]).reset_index(drop=True)
        if rows.empty:
            return
        frame = pd.DataFrame({
            "wilayah": [f"{int(r)}. {n}" for r, n in zip(rows["rank"], _short(rows["name"]))],
            "nilai": rows["value"].astype(float)})
        spec = _bars_spec(frame, ind.unit(lang), ind.decimals,
                          "#cb181d" if ind.higher_is_worse else "#2171b5", lang)
    st.vega_lite_chart(spec, width="stretch")


# The width fits the page; the height is the plot's own: one 24-px band per region, so every
# label fits (Streamlit's default autosize "fit" squeezed the axis and legend into the
# height, and Vega-Lite then dropped every other label).
FIT_X = {"type": "fit-x", "contains": "padding"}


def _axis_y() -> dict:
    # every region labelled: one band per region, no label dropped for overlap
    return {"field": "wilayah", "type": "nominal", "sort": None, "title": None,
            "axis": {"labelLimit": 320, "labelOverlap": False, "labelFontSize": 12}}


def _bars_spec(rows: pd.DataFrame, unit: str, decimals: int, color: str, lang: str) -> dict:
    """Vega-Lite specification of the value bars in the order of ``rows``."""
    return with_locale({
        "data": {"values": rows.to_dict("records")}, "height": 24 * len(rows),
        "autosize": FIT_X,
        "mark": {"type": "bar", "color": color},
        "encoding": {
            "y": _axis_y(),
            "x": {"field": "nilai", "type": "quantitative", "title": unit,
                  "axis": {"format": ",~f"}},
            "tooltip": [{"field": "wilayah", "type": "nominal", "title": t("name")},
                        {"field": "nilai", "type": "quantitative", "title": unit,
                         "format": f",.{decimals}f"}]}}, lang)


def _change_spec(rows: pd.DataFrame, unit: str, decimals: int, lang: str) -> dict:
    """Vega-Lite specification of the change bars (red: worse, blue: better)."""
    return with_locale({
        "data": {"values": rows.to_dict("records")}, "height": 24 * len(rows),
        "autosize": FIT_X,
        "mark": {"type": "bar"},
        "encoding": {
            "y": _axis_y(),
            "x": {"field": "perubahan", "type": "quantitative", "title": t("change_axis",
                                                                              unit=unit),
                  "axis": {"format": ",~f"}},
            "color": {"field": "arah", "type": "nominal", "title": None,
                      "scale": {"domain": [t("change_worse"), t("change_better")],
                                "range": ["#cb181d", "#2171b5"]},
                      "legend": {"orient": "top"}},
            "tooltip": [{"field": "wilayah", "type": "nominal", "title": t("name")},
                        {"field": "perubahan", "type": "quantitative",
                         "title": t("change_axis", unit=unit), "format": f"+,.{decimals}f"},
                        {"field": "peringkat", "type": "nominal", "title": t("rank_change")}]}},
        lang)


NO_COMPARE = "-"


def compare_select(periods: list[str], period: str) -> str | None:
    """Comparison picker: opens on the survey before ``period``; "—" compares nothing."""
    from components import sidebar
    earlier = [p for p in periods if (data.period_year(p) or 0) < (data.period_year(period) or 0)]
    options = [NO_COMPARE] + [p for p in periods if p != period]
    chosen = sidebar.period_select(options, default=earlier[-1] if earlier else NO_COMPARE,
                                   key="compare", label_key="compare",
                                   format_func=lambda p: "—" if p == NO_COMPARE else p)
    return None if chosen == NO_COMPARE else chosen


ORDERS = ("order_rank", "order_improved", "order_worsened")


def order_choice(raw: str) -> str:
    """An order from the link (``urutan``): one of ORDERS."""
    if raw not in ORDERS:
        raise ValueError(raw)
    return raw


def order_table(table: pd.DataFrame, indicator: str, order: str) -> pd.DataFrame:
    """The ranking in the order asked for: by rank, or by the change of the value."""
    if order == "order_rank" or "value_change" not in table:
        return table
    worse_up = indicators.get(indicator).higher_is_worse
    improved = ranking.most_improved(table, worse_up)
    if order == "order_improved":
        return improved
    return table.sort_values(["value_change", "code"], ascending=[not worse_up, True],
                             na_position="last", kind="stable").reset_index(drop=True)
