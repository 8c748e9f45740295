"""Ringkasan: KPI cards of the selected region and the map of Posyandu per region."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

from components import data, sidebar, state
from components.breadcrumb import show_breadcrumb
from components.choropleth import map_section
from components.kpi import show_kpis
from components.notices import dataset_notice, page_header
from components.overview import region_kpis

view = state.current()
page_header("page_ringkasan", "app_subtitle", view.projector)
options = ["posyandu", "posyandu_per_desa", "kader_per_posyandu", "stunting_registri"]
indicator = sidebar.indicator_select(options)
if not view.projector:
    dataset_notice(hazards=True)
    show_kpis(region_kpis(view.region, view.lang))
show_breadcrumb(view)
map_section(view, indicator, data.periods(indicator)[-1], page="ringkasan")
