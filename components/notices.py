"""Plain notices about which data a page shows (samples are always said to be samples).

One compact notice under the page title, so that at 1366×768 the map still starts on the
first screen."""
from __future__ import annotations

import streamlit as st

from components import data
from components.i18n import lang, plain, t


def dataset_notice(hazards: bool = False) -> None:
    """The sample warnings in one box, then the datasets shown in one line (their names
    come from files: plain text)."""
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
    if warnings:
        st.warning(" ".join(plain(w) for w in warnings))
    st.caption(plain(t("dataset_shown", label="; ".join(shown))))


def page_header(title_key: str, intro_key: str | None = None, projector: bool = False) -> None:
    if projector:
        return
    st.title(t(title_key))
    if intro_key:
        st.caption(t(intro_key))
