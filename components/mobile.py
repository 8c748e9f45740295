"""Narrow screens (phones in a meeting room): the page CSS for small widths and the quick
bar of pickers at the top of the page.

* At or below Streamlit's ``md`` breakpoint (768 px) the sidebar starts collapsed
  (``initial_sidebar_state="auto"`` in components.shell); the quick bar, an expander at
  the top of the page, then holds the region, indicator and survey pickers (drawn there by
  components.sidebar, bound to the same URL state) while it is open. Wider screens hide
  the bar.
* The map's columns stack (legend under the map); key figures sit two per row and wrap
  (components.kpi).
* The page never scrolls sideways: wide content (tables) scrolls inside its own frame.
"""
from __future__ import annotations

import streamlit as st

from components.i18n import plain as md_escape
from components.i18n import t
from components.lazy import lazy_expander

NARROW_PX = 768              # Streamlit's "md" breakpoint: the sidebar's "auto" collapses at or below
QUICK_BAR_KEY = "pp-quickbar"  # st.container key → CSS class .st-key-pp-quickbar
QUICK_BAR_OPEN = "pp-quickbar-open"   # the expander's state (open or closed)
_MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'

CSS = f"""
.pp-breadcrumb {{ font-size: 1rem; line-height: 1.6; margin: 0 0 .25rem 0; }}
.pp-breadcrumb .pp-sep {{ color: #6b7280; margin: 0 .35rem; }}
@media (min-width: {NARROW_PX + 1}px) {{
  .st-key-{QUICK_BAR_KEY} {{ display: none !important; }}
}}
@media (max-width: {NARROW_PX}px) {{
  [data-testid="stMainBlockContainer"] {{ padding-left: .75rem; padding-right: .75rem;
                                         padding-top: 4rem; }}
  h1 {{ font-size: 1.9rem !important; }}
  h3 {{ font-size: 1.25rem !important; }}
  /* The map's row (map | legend): legend under the map. */
  [data-testid="stHorizontalBlock"]:has({_MAP_IFRAME}) {{ flex-wrap: wrap; }}
  [data-testid="stHorizontalBlock"]:has({_MAP_IFRAME}) > [data-testid="stColumn"] {{
    min-width: 100% !important; flex: 1 1 100% !important; width: 100% !important; }}
  /* The page never scrolls sideways; tables scroll inside their own frame. */
  [data-testid="stMain"] {{ overflow-x: hidden; }}
  [data-testid="stDataFrame"], [data-testid="stTable"] {{ max-width: 100%; overflow-x: auto; }}
}}
"""


def quick_bar(region_name: str):
    """The expander at the top of the page that narrow screens show. Its pickers are drawn
    only while it is open (the tap reruns the page): on a wider screen, where it is hidden,
    the page draws no second copy of them. Returns the expander when open, else None."""
    return lazy_expander("☰ " + t("quick_choices", region=md_escape(region_name)),
                         QUICK_BAR_OPEN, st.container(key=QUICK_BAR_KEY))
