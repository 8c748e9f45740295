"""Peringkat: ranking table, bar chart and map; "peringkat k dari N" and change between surveys."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

import streamlit as st

from components import data, sidebar, state
from components.i18n import t
from components.map.change import text as change_text
from components.map.choropleth import map_section
from components.notices import dataset_notice, page_header
from components.tables import show_table
from components.views.ranking import (
    ORDERS,
    compare_select,
    coverage_text,
    display_rank_table,
    order_choice,
    order_table,
    rank_chart,
    ranking_table,
    show_own_rank,
)
from components.views.rankrange import add_rank_ranges

view = state.current()
page_header("page_peringkat", "peringkat_intro", view.projector)
options = ["stunting", "stunting_registri", "kader_per_posyandu", "tanpa_internet_pct",
           "posyandu_bahaya_tinggi_pct", "posyandu_per_desa"]
indicator = sidebar.indicator_select(options)
level = data.map_level(view.region)
indicator, periods = sidebar.periods_or_registry(indicator, view.region, "stunting_registri")
period = sidebar.period_select(periods)
compare = compare_select(periods, period)
if not view.projector and indicator != "stunting":   # registry figures: say if they are samples
    dataset_notice(hazards=indicator == "posyandu_bahaya_tinggi_pct")
mode = sidebar.map_mode_select() if len(periods) > 1 else "nilai"
if mode in ("perubahan", "berdampingan") and not compare and not view.projector:
    st.info(change_text("need_compare"))
show_own_rank(indicator, view.region, period, view.lang, compare=compare, large=view.projector)
map_section(view, indicator, period, page="peringkat", show_points=False, show_table=False,
            change_from=compare if mode == "perubahan" else None,
            split_from=compare if mode == "berdampingan" else None,
            timeline=periods if mode == "lini_waktu" else None)
if not view.projector:
    table = ranking_table(indicator, level, period, compare, view.region)
    st.header(t("rank_change") if compare else t("rank"))
    st.caption(coverage_text(table, level, period, compare, view.lang))
    order = "order_rank"
    if compare:
        order = state.bound("urutan", st.segmented_control, t("order_by"), order_choice,
                            lambda v: v or "order_rank", key="rank-order", options=ORDERS,
                            format_func=t) or "order_rank"
    table = order_table(table, indicator, order)
    rank_chart(table, indicator, view.lang)
    show_table(add_rank_ranges(display_rank_table(table, indicator, view.lang), table,
                               indicator, level, period, view.region),
               f"peringkat-{indicator}-{period}", key="rank-table")
