"""Konektivitas (Posyandu Digital 2026): Posyandu without internet, blank-spot villages."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

import streamlit as st

from components import data, sidebar, state
from components.choropleth import map_section
from components.i18n import t
from components.notices import dataset_notice, page_header
from geo.indicators import INDICATORS

view = state.current()
page_header("page_konektivitas", "konektivitas_intro", view.projector)
options = ["tanpa_internet_pct", "posyandu_tanpa_internet", "desa_blankspot"]
indicator = sidebar.indicator_select(options, {i: INDICATORS[i].label(view.lang) for i in options})
periods = data.periods(indicator, data.map_level(view.region), view.region)
if not view.projector and indicator == "desa_blankspot":
    st.info(t("blankspot_note"))
if not periods:  # blank-spot counts exist only for some regions and levels
    indicator, periods = "tanpa_internet_pct", data.periods("tanpa_internet_pct")
period = sidebar.period_select(periods) if indicator == "desa_blankspot" else periods[-1]
if not view.projector:
    dataset_notice()
    only_offline = st.toggle(t("only_offline"), value=True, key="only-offline")
else:
    only_offline = True
map_section(view, indicator, period or "", page="konektivitas", offline_only=only_offline)
