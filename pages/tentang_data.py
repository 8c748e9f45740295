"""Tentang Data: every source with its citation and vintage; which data are samples."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

import streamlit as st

from components import data, state
from components.about import boundary_sources, indicator_sources, load_report, vendored_assets
from components.i18n import t
from components.notices import page_header
from components.tables import show_table

view = state.current()
page_header("page_tentang", "tentang_intro", view.projector)
info = data.posyandu_info()
zones = data.hazard_zones()[1]
st.subheader("Data sampel" if view.lang == "id" else "Sample data")
st.warning(t("sample_notice") if info.sample else info.label(view.lang), icon="⚠️")
st.warning(t("hazard_sample") if zones.sample else zones.label(view.lang), icon="⚠️")
st.subheader("Batas wilayah dan kode" if view.lang == "id" else "Boundaries and codes")
st.markdown(boundary_sources(view.lang))
checks = load_report()
st.caption(("Pemeriksaan saat memuat (kode unik, induk ada, geometri valid): {n} temuan"
            if view.lang == "id" else
            "Checks on load (unique codes, parents exist, valid geometry): {n} findings"
            ).format(n=len(checks)))
if len(checks):
    show_table(checks, "pemeriksaan-batas", key="load-checks")
st.subheader("Indikator publikasi" if view.lang == "id" else "Published indicators")
show_table(indicator_sources(), "sumber-indikator", key="sources")
st.subheader("Pustaka peta (luring)" if view.lang == "id" else "Map libraries (offline)")
st.markdown(vendored_assets())
