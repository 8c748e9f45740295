"""Konektivitas (Posyandu Digital 2026): Posyandu without internet one by one, blank-spot
villages and villages without signal as published, and where k sites reach the most."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

import streamlit as st

from components import sidebar, state
from components.i18n import t
from components.map.choropleth import map_section
from components.notices import dataset_notice, page_header
from components.views import connectivity as connectivity_view
from components.views import siteplan as siteplan_view

view = state.current()
page_header("page_konektivitas", "konektivitas_intro", view.projector)
options = ["tanpa_internet_pct", "posyandu_tanpa_internet", "desa_blankspot", "desa_tanpa_sinyal"]
indicator = sidebar.indicator_select(options)
# published counts exist only for some regions and levels (the notes say which)
indicator, periods = sidebar.periods_or_registry(indicator, view.region, "tanpa_internet_pct")
period = sidebar.period_select(periods) if len(periods) > 1 else periods[-1]
only_offline = True
if not view.projector:
    connectivity_view.page_notes(view.region, indicator)
    dataset_notice()
    only_offline = state.bound("hanya_offline", st.toggle, t("only_offline"),
                               lambda raw: {"1": True, "0": False}[raw],
                               lambda v: "1" if v else "0", key="only-offline")
map_section(view, indicator, period or "", page="konektivitas", offline_only=only_offline)
if not view.projector:
    connectivity_view.offline_section(view.region)
    siteplan_view.planner_section(view.region)
