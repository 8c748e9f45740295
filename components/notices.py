"""Plain notices about which data a page shows (samples are always said to be samples)."""
from __future__ import annotations

import streamlit as st

from components import data
from components.i18n import lang, t


def dataset_notice(hazards: bool = False) -> None:
    info = data.posyandu_info()
    if info.sample:
        st.warning(t("sample_notice"), icon="⚠️")
    st.caption(t("dataset_shown", label=info.label(lang())))
    if hazards:
        zones_info = data.hazard_zones()[1]
        if zones_info.sample:
            st.warning(t("hazard_sample"), icon="⚠️")
        else:
            st.caption(t("dataset_shown", label=zones_info.label(lang())))


def page_header(title_key: str, intro_key: str | None = None, projector: bool = False) -> None:
    if projector:
        return
    st.title(t(title_key))
    if intro_key:
        st.markdown(t(intro_key))
