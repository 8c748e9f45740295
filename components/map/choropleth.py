"""A page's map section: choropleth of the level below the selected region, its legend,
drill-down on click, and the table below the map. Pages call ``map_section`` once."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from components import data, state, tables
from components.i18n import fmt_number, t
from components.lazy import lazy_expander
from components.map import access, uncertainty
from components.map import change as change_map
from components.map import export as export_view
from components.map import files as mapdata
from components.map import frame as page_frame
from components.map import periods as map_periods
from components.map.breadcrumb import show_breadcrumb
from components.map.legend import show_legend
from components.map.view import Choropleth, build_map, point_rows, sample_stamp, show_map
from components.notices import heading_html
from components.view_model import ranked_view
from geo.codes import LABEL
from geo.export.mapdata import is_hazard
from geo.indicators import published
from geo.indicators import registry as indicators
from geo.stats import classify as geo_classify

# Projector: the map iframe takes the window height minus the exit button, the region's
# rank and the map title above it.
TABLE_OPEN = "pp-table-open"     # the region table's expander: open or closed
PROJECTOR_MAP_CSS = ("iframe[title='streamlit_folium.st_folium']"
                     "{height:calc(100vh - 270px) !important;min-height:360px}"
                     # a 1366x768 projector: the legend (up to ~12 rows) fits the window
                     "@media (max-height:820px){.pp-legend{font-size:16px!important;"
                     "line-height:1.2!important}.pp-legend span[style*='width']"
                     "{height:15px!important;width:24px!important}}")


def ranked_values(indicator_id: str, level: str, period: str, region: str) -> pd.DataFrame:
    """Values of the regions under ``region`` with their rank among those siblings: the
    view model's values (components.view_model, cached per data version), which Peringkat,
    the key figures and the exports read too."""
    view = ranked_view(indicator_id, level, period, None, region)
    return view.values.drop(columns="source").copy()


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


def view_sample(ind: indicators.Indicator, posyandu_drawn: bool, hazards_drawn: bool
                ) -> dict | None:
    """The map's DATA SAMPEL stamp for a view: sample Posyandu drawn or counted by the
    indicator (a registry indicator), sample hazard zones drawn or counted (a hazard
    indicator); None when the view shows published or imported data only."""
    posyandu = data.posyandu_info().sample and (ind.source == "registri" or posyandu_drawn)
    hazards = (hazards_drawn or is_hazard(ind.id)) and data.hazard_layers()[1].sample
    return sample_stamp(posyandu=posyandu, hazards=hazards)


def map_title(ind: indicators.Indicator, level: str, region: str, period: str, lang: str) -> str:
    where = data.region_name(region)
    text = t("map_of", indicator=ind.label(lang), level=LABEL[lang][level].lower(), region=where)
    return f"{text} ({period})" if period and period != indicators.REGISTRY_PERIOD else text


def map_section(view: state.View, indicator_id: str, period: str, page: str, *,
                show_points: bool = True, hazards=None, marked: set[str] | None = None,
                marked_label: str = "", extra_legend: list[tuple[str, str]] | None = None,
                table_extra: pd.DataFrame | None = None, offline_only: bool = False,
                show_table: bool = True, change_from: str | None = None,
                split_from: str | None = None, timeline: list[str] | None = None) -> None:
    """The map row of a page. ``change_from``: draw the change from that period to
    ``period`` instead of the values (components.map.change); ``split_from``: that period
    on the left and ``period`` on the right (split view); ``timeline``: every period of the
    list, starting at ``period`` (components.map.periods)."""
    ind = indicators.get(indicator_id)
    level = data.map_level(view.region)
    lang = view.lang
    show_breadcrumb(view)
    layer = data.display_layer(level, view.region or None)
    change = None
    if change_from and change_from != period:
        change = change_map.change_view(indicator_id, level, period, change_from, view.region,
                                        layer["code"])
        vals, classification, colors = change.values, change.classification, change.colors
        extra_legend = list(extra_legend or []) + change_map.legend_entry(change)
    else:
        vals = ranked_values(indicator_id, level, period, view.region)
        classification = geo_classify.classify(vals["value"], ind, method=view.classifier)
        colors = geo_classify.colors_for(ind, len(classification.labels_id))
    several = None

    def values_of(p):
        return ranked_values(indicator_id, level, p, view.region)
    if not change and split_from and split_from != period:
        several = map_periods.split_view(ind, layer, split_from, period, values_of,
                                         view.classifier, lang)
    elif not change and timeline and len(timeline) > 1:
        several = map_periods.timeline_view(ind, layer, timeline, period, values_of,
                                            view.classifier, lang)
    if several:
        ch = several.main
        classification, colors, vals = several.classification, several.colors, ch.values
    else:
        ch = Choropleth(layer=layer, values=vals, indicator=change.indicator if change else ind,
                        classification=classification, colors=colors, lang=lang,
                        marked=marked or set(), marked_label=marked_label,
                        fills=change.fills if change else {},
                        notes=change.notes if change else {})
    posyandu = mapdata.posyandu_layer(view.region, offline_only) if show_points else {}
    if (not view.projector and ind.id == "stunting" and level == "provinsi"
            and published.old_papua_geography(period)):
        st.info(t("old_geography", period=period))
    title = map_title(ind, level, view.region, period, lang)
    a11y = access.config(ch, level=level, region=view.region, title=title, drill=level != "desa")
    m = build_map(ch, hazards=hazards, basemap=view.basemap, labels=view.projector,
                  geometry_url=mapdata.geometry_url(level, view.region),
                  drill=level != "desa", fill_height=view.projector,
                  a11y=a11y, sample=view_sample(ind, bool(posyandu), bool(hazards)),
                  split=several.split if several else None,
                  timeline=several.timeline if several else None, **posyandu)
    labels = classification.labels_id if lang == "id" else classification.labels_en
    classes = pd.Series(classification.class_of(
        layer["code"].map(vals.set_index("code")["value"]).to_numpy(dtype=float)))
    if change:       # not comparable: their own legend row, not "no data"
        classes[layer["code"].isin(change.fills).to_numpy()] = -2
    counts = list(classes.value_counts().reindex(list(range(len(labels))) + [-1], fill_value=0))
    if change:
        title = change_map.text("title", indicator=ind.label(lang)[0].lower()
                                + ind.label(lang)[1:], level=LABEL[lang][level].lower(),
                                region=data.region_name(view.region), compare=change_from,
                                period=period)
    if several:
        counts = several.counts
        base = map_title(ind, level, view.region, "", lang)
        title = (map_periods.text("split_title", title=base, left=split_from, right=period)
                 if several.split else map_periods.text(
                     "timeline_title", title=base, first=timeline[0], last=timeline[-1]))

    hatch = uncertainty.hatching(ind, vals)
    if hatch.any():
        extra_legend = list(extra_legend or []) + uncertainty.legend_entries(ind)
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
            # the map's title and, read before the map, what it shows (the map's frame
            # says it again to a screen reader): one element
            st.markdown(heading_html(2, title, a11y["summary"]), unsafe_allow_html=True)
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
        # the legend and the rules of reading it: one element
        notes = []
        if change:
            notes.append(change_map.text("rule", period=period, compare=change_from))
        if several and several.split:
            notes.append(map_periods.text("split_rule", left=split_from, right=period))
        elif several:
            notes.append(map_periods.text("timeline_rule", n=len(timeline)))
        if vals["unstable"].any():
            notes.append("⚠ " + t("unstable", n=indicators.DEFAULT_MIN_DENOMINATOR))
        if hatch.any():
            notes.append(uncertainty.rule_caption())
        if level != "desa" and not view.projector:
            notes.append(t("click_to_drill"))
        shown = change.indicator if change else ind
        show_legend(shown.label(lang), shown.unit(lang), labels, colors, counts=counts,
                    extra=extra_legend, large=view.projector, notes=notes)
        if level != "desa" and not view.projector:
            access.jump_list(layer)
        export_view.export_buttons(view, ind.id, level, period, change_from=change_from
                                   if change else None,
                                   split_from=split_from if several and several.split else None)
    # A click on "Buka wilayah ini" reruns the page; state.apply_map_click opens the region
    # at the start of that run, before anything is drawn (shell.run).

    if frame:
        frame.to_below()    # the rest of the page comes below the map row
    if show_table and not view.projector and not change:
        # The table repeats the map's values (with intervals and rank ranges): drawn when
        # opened, and open from view to view once a visitor opened it (issue 29).
        box = lazy_expander(t("region_table", n=fmt_number(len(vals), 0)), TABLE_OPEN)
        if box is not None:
            with box:
                table = display_table(vals, ind, lang, table_extra)
                tables.show_html_table(table, f"{ind.id}-{level}-{view.region or 'indonesia'}",
                                       key=f"tbl-{page}", caption=title)


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
    if "ci_low" in table and table["ci_low"].notna().any():
        # registry proportions: the 95 % interval, RSE and BPS class beside the value
        table["reliability"] = uncertainty.reliability_words(ind, table)
        for c in ("ci_low", "ci_high"):
            table[c] = table[c].astype(float).round(ind.decimals)
        table["rse"] = table["rse"].astype(float).round(1)
    else:
        table = table.drop(columns=[c for c in ("ci_low", "ci_high", "rse") if c in table])
    table["value"] = table["value"].round(ind.decimals)
    if "rank_low" in table:     # "3–7": the ranks the interval allows (statistically tied)
        table["rank_range"] = [uncertainty.rank_range_text(lo, hi)
                               for lo, hi in zip(table["rank_low"], table["rank_high"])]
        table = table.drop(columns=["rank_low", "rank_high"])
    for col in ("numerator", "denominator", "of", "rank"):   # counts read as integers
        if col in table and table[col].dropna().eq(table[col].dropna().round()).all():
            table[col] = table[col].round().astype("Int64")
    if "unstable" in table:
        table["unstable"] = table["unstable"].map(lambda b: t("yes_cap") if b is True or b == 1
                                                  else t("no_cap"))
    return table.rename(columns={
        "code": t("code"), "name": t("name"), "value": f"{ind.label(lang)} ({ind.unit(lang)})",
        "rank": t("rank"), "of": t("of_n"), "numerator": t("numerator"),
        "denominator": t("denominator"), "unstable": t("unstable_col"),
        "ci_low": uncertainty.text("col_ci_low"), "ci_high": uncertainty.text("col_ci_high"),
        "rse": uncertainty.text("col_rse"), "reliability": uncertainty.text("col_reliability"),
        "rank_range": uncertainty.text("col_rank_range")})
