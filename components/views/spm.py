"""Layanan SPM: the Posyandu transformation views (Permendagri 13/2024).

Per region: the share of Posyandu offering each of the six SPM fields and all six (a map
per field, picked in the sidebar, and a region × field matrix with export), the strata
(Pratama, Madya, Purnama, Mandiri) as a stacked bar, and — from regency level down — the
list of Posyandu with the services each offers. Every number comes from the long table
(geo.indicators.registry, sums per region); nothing is computed from rows here except the list.
"""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from components import data, state, tables
from components.i18n import fmt_number, lang, t, with_locale
from geo.codes import LABEL, level_of
from geo.indicators import registry as indicators
from geo.indicators.registry import REGISTRY_PERIOD
from geo.indicators.transformation import (
    SPM_ALL,
    SPM_FIELDS,
    SPM_INDICATORS,
    SPM_LABELS,
    STRATA_INDICATORS,
    STRATA_LEVELS,
    STRATA_TOP,
)

MAP_OPTIONS = [*SPM_INDICATORS, SPM_ALL, STRATA_TOP]
STRATA_COLORS = {"Pratama": "#d7301f", "Madya": "#fdae61", "Purnama": "#74add1",
                 "Mandiri": "#1a9850"}   # red → green, readable in grey too (light/dark)
LIST_FROM = ("kabupaten", "kecamatan", "desa")   # the Posyandu list is shown from here down


def field_label(field: str) -> str:
    pair = SPM_LABELS[field]
    return pair[0] if lang() == "id" else pair[1]


def _values(indicator: str, level: str, region: str) -> pd.Series:
    rows = data.values(indicator, level, REGISTRY_PERIOD, region or None)
    return rows.set_index("code")["value"]


def matrix(level: str, region: str) -> pd.DataFrame:
    """Region × field table: Posyandu, the share (%) offering each SPM field and all six,
    and the share of strata Purnama+Mandiri, for the regions of ``level`` under ``region``
    (built once per data version and language)."""
    return _matrix(data.data_version(), level, region, lang())


@st.cache_data(show_spinner=False, max_entries=256)
def _matrix(dv: str, level: str, region: str, language: str) -> pd.DataFrame:
    count = _values("posyandu", level, region)
    table = pd.DataFrame({"code": count.index, "name": count.index.map(data.names()),
                          t("spm_posyandu"): count.to_numpy()})
    for field, ind in zip(SPM_FIELDS, SPM_INDICATORS):
        table[field_label(field) + " (%)"] = table["code"].map(_values(ind, level, region))
    table[t("spm_all") + " (%)"] = table["code"].map(_values(SPM_ALL, level, region))
    table[t("strata_top") + " (%)"] = table["code"].map(_values(STRATA_TOP, level, region))
    table = table.rename(columns={"code": t("code"), "name": t("name")})
    for col in table.columns[3:]:
        table[col] = pd.to_numeric(table[col], errors="coerce").astype(float).round(1)
    return table.sort_values(t("code")).reset_index(drop=True)


def show_matrix(view: state.View) -> None:
    level = data.map_level(view.region)
    st.header(t("spm_matrix_title", level=LABEL[view.lang][level].lower(),
                   region=data.region_name(view.region)))
    table = matrix(level, view.region)
    if table.empty:
        st.info(t("no_data"))
        return
    tables.show_table(table, f"layanan-spm-{level}-{view.region or 'indonesia'}",
                      key="tbl-spm-matrix")


def strata_counts(level: str, region: str) -> pd.DataFrame:
    """Long table region name × stratum → number of Posyandu (for the stacked bar)."""
    parts = []
    for stratum, ind in zip(STRATA_LEVELS, STRATA_INDICATORS):
        vals = _values(ind, level, region)
        parts.append(pd.DataFrame({"code": vals.index, "strata": stratum,
                                   "posyandu": vals.to_numpy()}))
    long = pd.concat(parts, ignore_index=True)
    long["wilayah"] = long["code"].map(data.names()).fillna(long["code"]).astype(str)
    long["urutan"] = long["strata"].map({s: i for i, s in enumerate(STRATA_LEVELS)})
    return long


def show_strata(view: state.View) -> None:
    level = data.map_level(view.region)
    st.header(t("strata_title", level=LABEL[view.lang][level].lower(),
                   region=data.region_name(view.region)))
    spec = strata_spec(data.data_version(), level, view.region, view.lang)
    if spec is None:
        st.info(t("no_data"))
        return
    st.vega_lite_chart(spec, width="stretch")
    st.caption(t("strata_note"))


@st.cache_data(show_spinner=False, max_entries=256)
def strata_spec(dv: str, level: str, region: str, language: str) -> dict | None:
    """The stacked bar's Vega-Lite specification (data included), per data version, level,
    region and language: Altair builds and validates it once, not on every view."""
    long = strata_counts(level, region)
    if long.empty:
        return None
    n_regions = long["code"].nunique()
    chart = alt.Chart(long).mark_bar().encode(
        y=alt.Y("wilayah:N", sort=alt.EncodingSortField("code", order="ascending"),
                title=None, axis=alt.Axis(labelLimit=260, labelFontSize=13)),
        x=alt.X("posyandu:Q", stack="normalize", title=t("strata_share_axis"),
                axis=alt.Axis(format="%")),
        color=alt.Color("strata:N", title=t("strata"),
                        scale=alt.Scale(domain=list(STRATA_LEVELS),
                                        range=[STRATA_COLORS[s] for s in STRATA_LEVELS]),
                        legend=alt.Legend(orient="top", labelFontSize=13)),
        order=alt.Order("urutan:Q"),
        tooltip=[alt.Tooltip("wilayah:N", title=t("name")),
                 alt.Tooltip("strata:N", title=t("strata")),
                 alt.Tooltip("posyandu:Q", title=t("spm_posyandu"), format=",.0f")],
    ).properties(height=min(28 * n_regions + 40, 1200))
    return with_locale(chart.to_dict(), language)


def _mark(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "?"
    return "✓" if bool(value) else "–"


def posyandu_list(region: str) -> pd.DataFrame:
    """The Posyandu of a region with the services each offers (✓ yes, – no, ? unknown)."""
    pts = data.subtree(region)
    names = data.names()
    out = pd.DataFrame({
        t("id_col"): pts["id"].astype(str).to_numpy(),
        t("name"): pts["nama"].astype(str).to_numpy(),
        t("village"): pts["kode_agregasi"].astype(object).map(names).fillna(
            pts["kode_agregasi"].astype(object)).astype(str).to_numpy(),
        t("strata"): pts["strata"].astype(object).where(pts["strata"].notna(), "").to_numpy(),
    })
    for field in SPM_FIELDS:
        col = f"layanan_{field}"
        values = pts[col] if col in pts else pd.Series(pd.NA, index=pts.index)
        out[field_label(field)] = [_mark(v) for v in values]
    placed = pts["lat"].notna().to_numpy() if "lat" in pts else True
    out[t("point_col")] = [t("point_yes") if p else t("point_no")
                           for p in (placed if not isinstance(placed, bool) else [placed] * len(pts))]
    return out.sort_values([t("village"), t("name")]).reset_index(drop=True)


def show_posyandu_list(view: state.View) -> None:
    if not view.region or level_of(view.region) not in LIST_FROM:
        st.caption(t("spm_list_hint"))
        return
    st.header(t("spm_list_title", region=data.region_name(view.region)))
    table = posyandu_list(view.region)
    no_point = int((table[t("point_col")] == t("point_no")).sum())
    if no_point:
        st.caption(t("no_point_note", n=fmt_number(no_point, 0)))
    tables.show_table(table, f"posyandu-layanan-{view.region}", key="tbl-spm-list",
                      height=420)


def points_note(region: str) -> None:
    """How many Posyandu of the region have no usable point (counted, not drawn)."""
    pts = data.subtree(region)
    if "lat" not in pts:
        return
    n = int(pts["lat"].isna().sum())
    if n:
        st.caption(t("no_point_note", n=fmt_number(n, 0)))


def indicator_label(indicator_id: str) -> str:
    return indicators.get(indicator_id).label(lang())
