"""Tentang Data: every source with its citation and vintage; which data are samples."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

import streamlit as st

from components import state
from components.i18n import t
from components.notices import dataset_notice, page_header
from components.tables import show_table
from components.views.about import (
    CHECK_HEADERS,
    boundary_sources,
    indicator_sources,
    load_report,
    vendored_assets,
)

view = state.current()
page_header("page_tentang", "tentang_intro", view.projector)
st.header(t("about_shown"))
dataset_notice(hazards=True)
st.header(t("about_boundaries"))
st.markdown(boundary_sources(view.lang))
checks = load_report()
st.caption(t("about_checks", n=len(checks)))
if len(checks):
    show_table(checks.rename(columns=CHECK_HEADERS[view.lang]), "pemeriksaan-batas",
               key="load-checks")
st.header(t("about_indicators"))
show_table(indicator_sources(view.lang), "sumber-indikator", key="sources")
st.header(t("about_libraries"))
st.caption(t("about_libraries_intro"))
st.dataframe(vendored_assets(), hide_index=True)
