"""Ringkasan: KPI cards of the selected region and the map of Posyandu per region."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

from components import sidebar, state
from components.kpi import show_kpis
from components.map.choropleth import map_section
from components.notices import dataset_notice, page_header
from components.views.overview import region_kpis

view = state.current()
page_header("page_ringkasan", "app_subtitle", view.projector)
options = ["posyandu", "posyandu_per_desa", "kader_per_posyandu", "stunting_registri",
           "posyandu_aktif_jumlah", "strata_purnama_mandiri_pct"]
indicator = sidebar.indicator_select(options)
period = sidebar.registry_period(indicator, view.region)
if not view.projector:
    dataset_notice(hazards=True)
    show_kpis(region_kpis(view.region, view.lang))
map_section(view, indicator, period, page="ringkasan")
