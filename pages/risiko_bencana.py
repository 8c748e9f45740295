"""Risiko Bencana (BPBD): hazard zones over the choropleth; Posyandu per hazard class."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app


from components import data, sidebar, state
from components.breadcrumb import show_breadcrumb
from components.choropleth import map_section
from components.hazard_view import exposure_table, zones_in_view
from components.i18n import t
from components.mapview import HAZARD_COLORS
from components.notices import dataset_notice, page_header
from geo.indicators import REGISTRY_PERIOD

view = state.current()
page_header("page_bencana", "bencana_intro", view.projector)
options = ["posyandu_bahaya_tinggi", "posyandu_bahaya_tinggi_pct"]
indicator = sidebar.indicator_select(options)
if not view.projector:
    dataset_notice(hazards=True)
level = data.map_level(view.region)
exposure = None if view.projector else exposure_table(level, view.region)
show_breadcrumb(view)
map_section(view, indicator, REGISTRY_PERIOD, page="bencana", hazards=zones_in_view(view.region),
            extra_legend=[(f"background:{c};opacity:.7", f"{t('hazard_layer')}: {t(k)}")
                          for k, c in HAZARD_COLORS.items()],
            table_extra=exposure)
