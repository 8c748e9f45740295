"""Ranking table, bar chart and the selected region's position (Peringkat and map pages).

Every position is said with the number of regions it is counted over and the regions that
have no value, so a quoted "peringkat 18 dari 35" is never read as "of 38"."""
from __future__ import annotations

import html

import altair as alt
import pandas as pd
import streamlit as st

from components import data
from components.i18n import fmt_number, t
from geo.codes import LABEL, level_of, parent_code
from geo.indicators import registry as indicators
from geo.regions import boundaries as regions
from geo.stats import ranking


def _universe(level: str, parent: str) -> pd.Series:
    """Codes of every region of ``level`` under ``parent`` (the Kemendagri list)."""
    codes = regions.code_list(level)["code"]
    return codes.loc[codes.str.startswith(parent + ".")] if parent else codes


def ranking_table(indicator: str, level: str, period: str, compare: str | None,
                  region: str) -> pd.DataFrame:
    """geo.stats.ranking.rank_table over the regions of ``level`` under ``region``, fed with
    only the rows of the two periods (data.values), not the whole long table."""
    rows = [data.values(indicator, level, p, region or None)
            .assign(indicator=indicator, level=level, period=p) for p in (period, compare) if p]
    return ranking.rank_table(pd.concat(rows, ignore_index=True), indicator, level, period,
                              compare or None, parent=region or None, names=data.names(),
                              universe=_universe(level, region))


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
    """A key figure that wraps instead of being cut off (st.metric truncates)."""
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
    sibling has a value in ``period``."""
    level = level_of(region)
    parent = parent_code(region) or ""
    table = ranking_table(indicator, level, period, compare, parent)
    if not table["rank"].notna().any():
        return None
    k, n = ranking.position(table, region)
    headline = t("region_position", region=data.region_name(region),
                 position=ranking.describe(k, n, lang)) + f" ({period})"
    detail = coverage_text(table, level, period, compare, lang)
    if compare:
        row = table.loc[table["code"] == region].iloc[0]
        if pd.notna(row["rank_change"]):
            ind = indicators.get(indicator)
            headline += " · " + ranking.describe_change(row["rank_change"], lang) + \
                f" {t('since')} {compare}"
            change = fmt_number(row["value_change"], ind.decimals, lang)
            detail = t("value_change_text", compare=compare,
                       prev=fmt_number(row["value_prev"], ind.decimals, lang),
                       now=fmt_number(row["value"], ind.decimals, lang),
                       change=("+" if row["value_change"] > 0 else "") + change,
                       unit=t("pp") if ind.unit_id == "%" else ind.unit(lang)) + " " + detail
        elif k is not None:
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
    movement in words."""
    ind = indicators.get(indicator)
    out = pd.DataFrame({t("code"): table["code"], t("name"): table["name"]})
    value_label = f"{ind.label(lang)} ({ind.unit(lang)})"
    out[t("rank")] = table["rank"]
    out[t("of_n")] = table["of"]
    out[value_label] = table["value"].round(ind.decimals)
    if "rank_prev" in table:
        unit = t("pp") if ind.unit_id == "%" else ind.unit(lang)
        out[t("rank_prev")] = table["rank_prev"]
        out[t("value_prev")] = table["value_prev"].round(ind.decimals)
        out[t("value_change_col", unit=unit)] = table["value_change"]
        out[t("rank_change")] = [ranking.describe_change(c, lang) for c in table["rank_change"]]
    out[t("note")] = table[ranking.NOTE].fillna("")
    return out


def rank_chart(table: pd.DataFrame, indicator: str, lang: str) -> None:
    """Horizontal bars of the values, worst first (rank 1 on top)."""
    rows = table.dropna(subset=["value", "rank"]).copy()
    if rows.empty:
        return
    ind = indicators.get(indicator)
    short = rows["name"].astype(str).str.replace(r"^Kabupaten ", "Kab. ", regex=True)
    rows["label"] = [f"{int(r)}. {n}" for r, n in zip(rows["rank"], short)]
    st.vega_lite_chart(_bars_spec(rows[["label", "value"]].reset_index(drop=True),
                                  ind.unit(lang), ind.decimals,
                                  "#cb181d" if ind.higher_is_worse else "#2171b5"),
                       width="stretch")


@st.cache_data(show_spinner=False, max_entries=256)
def _bars_spec(rows: pd.DataFrame, unit: str, decimals: int, color: str) -> dict:
    """Vega-Lite specification of the bars in the order of ``rows`` (built and validated
    by Altair once per table, not on every view)."""
    return alt.Chart(rows).mark_bar(color=color).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=300)),
        x=alt.X("value:Q", title=unit),
        tooltip=[alt.Tooltip("label:N", title=""),
                 alt.Tooltip("value:Q", title=unit, format=f",.{decimals}f")],
    ).properties(height=max(260, 22 * len(rows))).to_dict()


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
