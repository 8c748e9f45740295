"""Peringkat: ranking table, bar chart and map; "peringkat k dari N" and change between surveys."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

import streamlit as st

from components import data, sidebar, state
from components.breadcrumb import show_breadcrumb
from components.choropleth import map_section
from components.i18n import t
from components.notices import page_header
from components.ranking_view import rank_chart, ranking_table, show_position
from components.tables import show_table

view = state.current()
page_header("page_peringkat", "peringkat_intro", view.projector)
options = ["stunting", "stunting_registri", "kader_per_posyandu", "tanpa_internet_pct",
           "posyandu_bahaya_tinggi_pct", "posyandu_per_desa"]
indicator = sidebar.indicator_select(options)
level = data.map_level(view.region)
indicator, periods = sidebar.periods_or_registry(indicator, view.region, "stunting_registri")
period = sidebar.period_select(periods, default="SSGI 2022")
compare_options = [""] + [p for p in periods if p != period]
compare = sidebar.period_select(compare_options, default="", key="compare", label_key="compare",
                                format_func=lambda p: p or "—")
if not view.projector:
    show_position(indicator, view.region, period, compare or None, view.lang)
show_breadcrumb(view)
map_section(view, indicator, period, page="peringkat", show_points=False, show_table=False)
if not view.projector:
    table = ranking_table(indicator, level, period, compare or None, view.region)
    rank_chart(table, indicator, view.lang)
    st.subheader(t("rank_change") if compare else t("rank"))
    st.caption(t("rank_change_help") if compare else t("peringkat_intro"))
    show_table(table, f"peringkat-{indicator}-{period}", key="rank-table")
