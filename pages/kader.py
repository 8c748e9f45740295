"""Kader: kader per Posyandu and per 1,000 balita; regions under the 5-kader standard marked."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

import streamlit as st

from components import data, sidebar, state
from components.i18n import t
from components.map.choropleth import map_section
from components.notices import dataset_notice, page_header
from components.views import kader as kader_view
from geo.indicators.registry import KADER_STANDARD, REGISTRY_PERIOD

view = state.current()
page_header("page_kader", "kader_intro", view.projector)
options = ["kader_per_posyandu", "kader_per_1000_balita", "posyandu_kader5_pct",
           "kader_terlatih_pct", "posyandu_per_desa", "kader_jumlah", "kader_terlatih_jumlah"]
indicator = sidebar.indicator_select(options)
period = sidebar.registry_period(indicator, view.region)
level = data.map_level(view.region)
per_post = data.values("kader_per_posyandu", level, REGISTRY_PERIOD, view.region or None)
below = set(per_post.loc[per_post["value"] < KADER_STANDARD, "code"])
if not view.projector:
    dataset_notice()
    st.markdown(f"**{t('regions_below', n=len(below), total=len(per_post))}**")
    kader_view.show_region_trained(view.region)
map_section(view, indicator, period, page="kader", marked=below,
            marked_label=t("below_standard"),
            extra_legend=[("border:3px dashed #000;background:transparent", t("below_standard"))],
            table_extra=None if indicator == kader_view.TRAINED
            else kader_view.trained_column(level, view.region))
