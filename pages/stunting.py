"""Stunting: survey prevalence (SSGI/SKI, WHO–UNICEF classes) or registry prevalence."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

from components import sidebar, state
from components.map.choropleth import map_section
from components.notices import dataset_notice, page_header
from components.views.ranking import compare_select, show_own_rank
from components.views.trend import show_trend

view = state.current()
page_header("page_stunting", "stunting_intro", view.projector)
options = ["stunting", "stunting_registri"]
indicator = sidebar.indicator_select(options)
indicator, periods = sidebar.periods_or_registry(indicator, view.region, "stunting_registri")
period = sidebar.period_select(periods)
# issue 26: the change map, two periods side by side, or the timeline (?peta=…)
mode = sidebar.map_mode_select() if len(periods) > 1 else "nilai"
compare = compare_select(periods, period) if mode in ("perubahan", "berdampingan") else None
if not view.projector and indicator == "stunting_registri":
    dataset_notice()
show_own_rank(indicator, view.region, period, view.lang, large=view.projector)
map_section(view, indicator, period, page="stunting", show_points=indicator == "stunting_registri",
            change_from=compare if mode == "perubahan" else None,
            split_from=compare if mode == "berdampingan" else None,
            timeline=periods if mode == "lini_waktu" else None)
if not view.projector:
    show_trend(view.region, view.lang)
