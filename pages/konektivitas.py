"""Konektivitas (Posyandu Digital 2026): Posyandu without internet, blank-spot villages."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

import streamlit as st

from components import sidebar, state
from components.breadcrumb import show_breadcrumb
from components.choropleth import map_section
from components.i18n import t
from components.notices import dataset_notice, page_header

view = state.current()
page_header("page_konektivitas", "konektivitas_intro", view.projector)
options = ["tanpa_internet_pct", "posyandu_tanpa_internet", "desa_blankspot"]
indicator = sidebar.indicator_select(options)
# blank-spot counts exist only for some regions and levels
indicator, periods = sidebar.periods_or_registry(indicator, view.region, "tanpa_internet_pct")
if not view.projector and indicator == "desa_blankspot":
    st.info(t("blankspot_note"))
period = sidebar.period_select(periods) if indicator == "desa_blankspot" else periods[-1]
if not view.projector:
    dataset_notice()
    only_offline = st.toggle(t("only_offline"), value=True, key="only-offline")
else:
    only_offline = True
show_breadcrumb(view)
map_section(view, indicator, period or "", page="konektivitas", offline_only=only_offline)
