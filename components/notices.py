"""Plain notices about which data a page shows (samples are always said to be samples).

One compact line under the page title, so that at 1366×768 the map still starts on the
first screen: the sample warnings in bold red, then the datasets shown."""
from __future__ import annotations

import html

import streamlit as st

from components import data
from components.i18n import lang, t


def dataset_notice(hazards: bool = False) -> None:
    info = data.posyandu_info()
    warnings, shown = [], []
    if info.sample:
        warnings.append(t("sample_notice"))
    shown.append(info.label(lang()))
    if hazards:
        zones_info = data.hazard_zones()[1]
        if zones_info.sample:
            warnings.append(t("hazard_sample"))
        else:
            shown.append(zones_info.label(lang()))
    parts = [f"<b style='color:#a50f15'>⚠ {html.escape(w)}</b>" for w in warnings]
    parts.append(html.escape(t("dataset_shown", label="; ".join(shown))))
    st.markdown("<div class='pp-notice' style='font-size:.9rem;line-height:1.35;"
                "margin:-.4rem 0 .3rem 0'>" + " · ".join(parts) + "</div>",
                unsafe_allow_html=True)


def page_header(title_key: str, intro_key: str | None = None, projector: bool = False) -> None:
    if projector:
        return
    st.title(t(title_key))
    if intro_key:
        st.caption(t(intro_key))
