"""Stunting: survey prevalence (SSGI/SKI, WHO–UNICEF classes) or registry prevalence."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

import streamlit as st

from components import data, sidebar, state
from components.choropleth import map_section
from components.i18n import t
from components.notices import dataset_notice, page_header
from components.ranking_view import show_position
from geo.indicators import INDICATORS

view = state.current()
page_header("page_stunting", "stunting_intro", view.projector)
options = ["stunting", "stunting_registri"]
indicator = sidebar.indicator_select(options, {i: INDICATORS[i].label(view.lang) for i in options})
periods = data.periods(indicator, data.map_level(view.region), view.region)
if not periods:  # no survey values at this level: the registry speaks for it
    st.info(t("survey_only_levels"))
    indicator, periods = "stunting_registri", data.periods("stunting_registri")
period = sidebar.period_select(periods, default="SSGI 2022")
if not view.projector:
    show_position(indicator, view.region, period, None, view.lang)
    if indicator == "stunting_registri":
        dataset_notice()
map_section(view, indicator, period, page="stunting", show_points=indicator == "stunting_registri")
