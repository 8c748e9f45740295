"""The breadcrumb above every map: "Indonesia › Kalimantan Tengah › Kapuas".

Every part but the last is a link to that region's view of the same page, keeping the
rest of the URL state (indicator, survey, language, …): only ``wilayah`` changes. Links
are plain ``<a href="?…">`` (copyable, open in a new tab); following one loads the view
the way a shared link does. Region names are data: they are escaped.
"""
from __future__ import annotations

import html
from urllib.parse import urlencode

import streamlit as st

from components import data, state
from components.i18n import t

SEPARATOR = "›"


def trail(region: str) -> list[str]:
    """Codes from Indonesia ("") down to ``region``: "62.03" → ["", "62", "62.03"]."""
    parts = region.split(".") if region else []
    return [""] + [".".join(parts[: i + 1]) for i in range(len(parts))]


def href(code: str, params: dict[str, str]) -> str:
    """Query string of the view of ``code``: ``params`` with ``wilayah`` replaced."""
    query = {k: v for k, v in params.items() if k != "wilayah"}
    if code:
        query = {"wilayah": code, **query}
    return "?" + urlencode(query) if query else "?"


def breadcrumb_html(region: str, params: dict[str, str]) -> str:
    codes = trail(region)
    parts = []
    for i, code in enumerate(codes):
        name = html.escape(data.region_name(code) if code else t("indonesia"))
        if i == len(codes) - 1:
            parts.append(f"<span aria-current='page'><b>{name}</b></span>")
        else:
            link = html.escape(href(code, params), quote=True)
            parts.append(f"<a href='{link}' target='_self' data-code='{html.escape(code)}'>"
                         f"{name}</a>")
    sep = f"<span class='pp-sep' aria-hidden='true'>{SEPARATOR}</span>"
    return (f"<nav class='pp-breadcrumb' aria-label='{html.escape(t('breadcrumb'))}'>"
            f"{sep.join(parts)}</nav>")


def show_breadcrumb(view: state.View) -> None:
    """Draw the breadcrumb of the view's region with the current URL's other parameters
    (not in projector mode, which shows no controls)."""
    if view.projector:
        return
    params = {k: st.query_params.get(k) for k in st.query_params}
    st.markdown(breadcrumb_html(view.region, params), unsafe_allow_html=True)
