"""Layanan SPM: the six SPM service fields of the Posyandu (Permendagri 13/2024) and the
strata — a map per field, the region × field matrix, the strata bar and the Posyandu list."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

from components import sidebar, state
from components.map.choropleth import map_section
from components.notices import dataset_notice, page_header
from components.views import spm as spm_view
from geo.indicators.registry import REGISTRY_PERIOD

view = state.current()
page_header("page_layanan_spm", "spm_intro", view.projector)
indicator = sidebar.indicator_select(spm_view.MAP_OPTIONS)
if not view.projector:
    dataset_notice()
    spm_view.points_note(view.region)
map_section(view, indicator, REGISTRY_PERIOD, page="layanan_spm", show_table=False)
if not view.projector:
    spm_view.show_matrix(view)
    spm_view.show_strata(view)
    spm_view.show_posyandu_list(view)
