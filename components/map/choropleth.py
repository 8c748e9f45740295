"""A page's map section: choropleth of the level below the selected region, its legend,
drill-down on click, and the table below the map. Pages call ``map_section`` once."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from components import data, state, tables
from components.i18n import plain, t
from components.map import access
from components.map import export as export_view
from components.map import files as mapdata
from components.map import frame as page_frame
from components.map.breadcrumb import show_breadcrumb
from components.map.legend import show_legend
from components.map.view import Choropleth, build_map, point_rows, show_map
from geo.codes import LABEL
from geo.indicators import published
from geo.indicators import registry as indicators
from geo.stats import classify as geo_classify
from geo.stats import ranking

# Projector: the map iframe takes the window height minus the exit button, the region's
# rank and the map title above it.
PROJECTOR_MAP_CSS = ("iframe[title='streamlit_folium.st_folium']"
                     "{height:calc(100vh - 270px) !important;min-height:360px}")


def ranked_values(indicator_id: str, level: str, period: str, region: str) -> pd.DataFrame:
    """Values of the regions under ``region`` with their rank among those siblings (cached
    per data version: a view repeated by thirty people is computed once)."""
    return _ranked_values(data.data_version(), indicator_id, level, period, region).copy()


@st.cache_resource(max_entries=1024, show_spinner=False)
def _ranked_values(dv: str, indicator_id: str, level: str, period: str,
                   region: str) -> pd.DataFrame:
    ind = indicators.get(indicator_id)
    vals = data.values(indicator_id, level, period, region or None)
    ranked = ranking.rank_frame(vals, ind.higher_is_worse)
    out = vals.merge(ranked[["code", "rank", "of"]], on="code", how="left")
    out.insert(1, "name", out["code"].map(data.names()))
    return out


def points_for(region: str, lang: str, offline_only: bool = False) -> list[list] | None:
    """Marker rows of the Posyandu to draw (from province level down), cached per view and
    data version (a save by another process shows on the next rerun)."""
    return _points_for(data.data_version("posyandu", "batas"), region, lang, offline_only)


@st.cache_resource(max_entries=48, show_spinner=False)
def _points_for(dv: str, region: str, lang: str, offline_only: bool) -> list[list] | None:
    if not region:
        return None
    pts = data.subtree(region)
    if offline_only:
        pts = pts.loc[pts["internet"].astype("boolean").fillna(True) == False]  # noqa: E712
    pts = pts.assign(nama_desa=pts["kode_agregasi"].map(data.names()).fillna(pts["kode_desa"]))
    return point_rows(pts, data.posyandu_info().sample, lang)


def map_title(ind: indicators.Indicator, level: str, region: str, period: str, lang: str) -> str:
    where = data.region_name(region)
    text = t("map_of", indicator=ind.label(lang), level=LABEL[lang][level].lower(), region=where)
    return f"{text} ({period})" if period and period != indicators.REGISTRY_PERIOD else text


def map_section(view: state.View, indicator_id: str, period: str, page: str, *,
                show_points: bool = True, hazards=None, marked: set[str] | None = None,
                marked_label: str = "", extra_legend: list[tuple[str, str]] | None = None,
                table_extra: pd.DataFrame | None = None, offline_only: bool = False,
                show_table: bool = True) -> None:
    ind = indicators.get(indicator_id)
    level = data.map_level(view.region)
    lang = view.lang
    show_breadcrumb(view)
    layer = data.display_layer(level, view.region or None)
    vals = ranked_values(indicator_id, level, period, view.region)
    classification = geo_classify.classify(vals["value"], ind, method=view.classifier)
    colors = geo_classify.colors_for(ind, len(classification.labels_id))
    ch = Choropleth(layer=layer, values=vals, indicator=ind, classification=classification,
                    colors=colors, lang=lang, marked=marked or set(), marked_label=marked_label)
    posyandu = mapdata.posyandu_layer(view.region, offline_only) if show_points else {}
    if (not view.projector and ind.id == "stunting" and level == "provinsi"
            and published.old_papua_geography(period)):
        st.info(t("old_geography", period=period))
    title = map_title(ind, level, view.region, period, lang)
    a11y = access.config(ch, level=level, region=view.region, title=title, drill=level != "desa")
    m = build_map(ch, hazards=hazards, basemap=view.basemap, labels=view.projector,
                  geometry_url=mapdata.geometry_url(level, view.region),
                  drill=level != "desa", fill_height=view.projector, a11y=a11y, **posyandu)
    labels = classification.labels_id if lang == "id" else classification.labels_en
    counts = list(pd.Series(classification.class_of(
        layer["code"].map(vals.set_index("code")["value"]).to_numpy(dtype=float))).value_counts()
        .reindex(list(range(len(labels))) + [-1], fill_value=0))

    if posyandu.get("symbols"):
        extra_legend = list(extra_legend or []) + [
            ("background:rgba(33,113,181,.45);border:1px solid #08306b;border-radius:50%",
             t("posyandu_symbols"))]
    # The map row: laid out by the shell (components.map.frame) so the map stays mounted
    # from one view to the next; inline when the page runs without the shell.
    frame = page_frame.current()
    title_box = frame.title if frame else st.container()
    with title_box:
        if view.projector:
            st.markdown(f"<h1 style='font-size:36px;margin:0'>{html.escape(title)}</h1>",
                        unsafe_allow_html=True)
            # The map fills the window height (a 1366x768 projector shows it whole).
            st.markdown(f"<style>{PROJECTOR_MAP_CSS}</style>", unsafe_allow_html=True)
        else:
            st.header(title)
            # read before the map (the map's frame says it again to a screen reader)
            st.caption(plain(a11y["summary"]))
    height = 520 if view.projector else 620
    key = state.map_key(view)
    if frame:
        frame.show(m, key, height)
        col_legend = frame.side
    else:
        col_map, col_legend = st.columns([5, 1.3] if view.projector else [4, 1.2])
        with col_map:
            show_map(m, key=key, height=height)
    with col_legend:
        show_legend(ind.label(lang), ind.unit(lang), labels, colors, counts=counts,
                    extra=extra_legend, large=view.projector)
        if vals["unstable"].any():
            st.caption("⚠ " + t("unstable", n=indicators.DEFAULT_MIN_DENOMINATOR))
        if level != "desa" and not view.projector:
            st.caption(t("click_to_drill"))
            access.jump_list(layer)
        export_view.export_buttons(view, ind.id, level, period)
    # A click on "Buka wilayah ini" reruns the page; state.apply_map_click opens the region
    # at the start of that run, before anything is drawn (shell.run).

    if frame:
        frame.to_below()    # the rest of the page comes below the map row
    if show_table and not view.projector:
        table = display_table(vals, ind, lang, table_extra)
        tables.show_table(table, f"{ind.id}-{level}-{view.region or 'indonesia'}",
                          key=f"tbl-{page}")


def display_table(vals: pd.DataFrame, ind: indicators.Indicator, lang: str,
                  extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """The table below a map: worst first, labelled columns, empty columns left out."""
    table = vals.copy()
    if extra is not None:
        table = table.merge(extra, on="code", how="left")
    table = table.sort_values(["rank", "code"], na_position="last")
    if not ind.is_rate or table["numerator"].isna().all():
        # Counts and published values: the value is all there is.
        table = table.drop(columns=["numerator", "denominator", "unstable"])
    table["value"] = table["value"].round(ind.decimals)
    for col in ("numerator", "denominator", "of", "rank"):   # counts read as integers
        if col in table and table[col].dropna().eq(table[col].dropna().round()).all():
            table[col] = table[col].round().astype("Int64")
    if "unstable" in table:
        table["unstable"] = table["unstable"].map(lambda b: t("yes_cap") if b is True or b == 1
                                                  else t("no_cap"))
    return table.rename(columns={
        "code": t("code"), "name": t("name"), "value": f"{ind.label(lang)} ({ind.unit(lang)})",
        "rank": t("rank"), "of": t("of_n"), "numerator": t("numerator"),
        "denominator": t("denominator"), "unstable": t("unstable_col")})
