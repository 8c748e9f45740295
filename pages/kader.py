"""Kader: kader per Posyandu and per 1,000 balita; regions under the 5-kader standard marked."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

import streamlit as st

from components import data, sidebar, state
from components.breadcrumb import show_breadcrumb
from components.choropleth import map_section
from components.i18n import t
from components.notices import dataset_notice, page_header
from geo.indicators import KADER_STANDARD, REGISTRY_PERIOD


view = state.current()
page_header("page_kader", "kader_intro", view.projector)
options = ["kader_per_posyandu", "kader_per_1000_balita", "posyandu_kader5_pct",
           "kader_terlatih_pct", "posyandu_per_desa"]
indicator = sidebar.indicator_select(options)
level = data.map_level(view.region)
per_post = data.values("kader_per_posyandu", level, REGISTRY_PERIOD, view.region or None)
below = set(per_post.loc[per_post["value"] < KADER_STANDARD, "code"])
if not view.projector:
    dataset_notice()
    st.markdown(f"**{t('regions_below', n=len(below), total=len(per_post))}**")
show_breadcrumb(view)
map_section(view, indicator, REGISTRY_PERIOD, page="kader", marked=below,
            marked_label=t("below_standard"),
            extra_legend=[("border:3px dashed #000;background:transparent", t("below_standard"))])
