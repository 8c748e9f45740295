"""The page's own CSS, one style element per script run (the shell injects it first).

Streamlit restyles the page for every style element it adds; one element holding the
rules of every concern — narrow screens (components.mobile), accessibility
(components.a11y), key figures (components.kpi), the notice line (components.notices),
the table below a map (components.tables), the trend chart and the compact page top — is drawn once (issue 29)."""
from __future__ import annotations

import streamlit as st

from components import a11y, kpi, mobile, notices, tables

#: Less empty space above the content, so the map starts on the first screen at 1366×768
#: (Streamlit's default h1 and top padding take a quarter of it).
COMPACT = """
.block-container { padding-top: 2.2rem; }
h1 { font-size: 2rem !important; padding: .1rem 0 .2rem 0 !important; }
h3 { padding: .3rem 0 .2rem 0 !important; }
"""

#: The stunting trend (components.views.trend): the wide chart, never wider than it reads well
#: on a large screen; on a phone the narrow one (legend below the axes).
TREND = """
.pp-trend img { width: 100%; height: auto; display: block; }
.pp-trend .pp-trend-wide { max-width: 50rem; }
.pp-trend .pp-trend-narrow { display: none; }
@media (max-width: 640px) {
  .pp-trend .pp-trend-wide { display: none; }
  .pp-trend .pp-trend-narrow { display: block; max-width: 30rem; }
}
.pp-trend figure { margin: 0; }
.pp-trend figcaption { font-size: .875rem; }       /* colour: components.a11y */
.pp-trend summary { cursor: pointer; margin: .4rem 0; }
"""

CSS = (f"<style>{COMPACT}{TREND}{mobile.CSS}{a11y.CSS}{kpi.CSS}{notices.CSS}{tables.CSS}"
       "</style>")


def inject() -> None:
    """The CSS above (a style-only st.html takes no space on the page)."""
    st.html(CSS)
