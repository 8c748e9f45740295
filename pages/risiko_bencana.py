"""Risiko Bencana (BPBD): hazards of one InaRISK type (or all) over the choropleth of the
exposure indicators; exposure per kecamatan; the exposed Posyandu by name."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app


from components import data, sidebar, state
from components.map.choropleth import map_section
from components.notices import dataset_notice, page_header
from components.views import hazards as hazard_view
from geo.indicators.registry import REGISTRY_PERIOD

view = state.current()
page_header("page_bencana", "bencana_intro", view.projector)
hazard_type = hazard_view.type_select()
indicator = sidebar.indicator_select(hazard_view.indicator_options(hazard_type))
if not view.projector:
    hazard_view.types_caption(hazard_type)
    dataset_notice(hazards=True)
# projector: the rings of the Posyandu in tinggi, not also a circle per region under them
map_section(view, indicator, REGISTRY_PERIOD, page="bencana", show_points=not view.projector,
            hazards=hazard_view.map_config(view.region, hazard_type, view.projector),
            extra_legend=hazard_view.legend(hazard_type, view.projector))
if not view.projector:
    hazard_view.kecamatan_section(view.region, hazard_type)
    hazard_view.exposed_section(view.region, hazard_type, data.hazard_layers()[1].sample)
