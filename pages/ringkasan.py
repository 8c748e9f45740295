"""Ringkasan: key figures of the selected region and the map of Posyandu per region."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

from components import sidebar, state
from components.map.choropleth import map_section
from components.notices import dataset_notice, page_header
from components.views.overview import key_figures

view = state.current()
page_header("page_ringkasan", "app_subtitle", view.projector)
options = ["posyandu", "posyandu_per_desa", "kader_per_posyandu", "stunting_registri",
           "posyandu_aktif_jumlah", "strata_purnama_mandiri_pct"]
indicator = sidebar.indicator_select(options)
period = sidebar.registry_period(indicator, view.region)
if not view.projector:
    dataset_notice(hazards=True)
    key_figures(view.region, view.lang)
map_section(view, indicator, period, page="ringkasan")
