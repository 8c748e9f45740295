"""Stunting: survey prevalence (SSGI/SKI, WHO–UNICEF classes) or registry prevalence."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

from components import sidebar, state
from components.breadcrumb import show_breadcrumb
from components.choropleth import map_section
from components.notices import dataset_notice, page_header
from components.ranking_view import show_position

view = state.current()
page_header("page_stunting", "stunting_intro", view.projector)
options = ["stunting", "stunting_registri"]
indicator = sidebar.indicator_select(options)
indicator, periods = sidebar.periods_or_registry(indicator, view.region, "stunting_registri")
period = sidebar.period_select(periods, default="SSGI 2022")
if not view.projector:
    show_position(indicator, view.region, period, None, view.lang)
    if indicator == "stunting_registri":
        dataset_notice()
show_breadcrumb(view)
map_section(view, indicator, period, page="stunting", show_points=indicator == "stunting_registri")
