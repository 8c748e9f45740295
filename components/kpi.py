"""Key figures of a view as one element: a definition list (label → value) drawn by one
``st.markdown``, not a grid of ``st.metric`` cards (eight cards with their columns cost
the browser more to draw than the map; issue 29).

* Four figures per row on a laptop, all in one row on a wide screen, two per row on a
  phone; nothing is cut off (labels and values wrap).
* A figure's help text ("which hazard types are counted") sits in the label as visually
  hidden text behind a focusable "?" mark: shown as a tooltip on hover and on keyboard
  focus, and read by screen readers as part of the label.
* Every text is escaped here (labels and values may come from files: region names).
"""
from __future__ import annotations

import html
from dataclasses import dataclass

import streamlit as st

from components.mobile import NARROW_PX

#: Class of the list; tests and the phone CSS find the figures by it.
LIST_CLASS = "pp-kfs"
WIDE_PX = 1700           # window width from which all figures sit in one row

CSS = f"""
.{LIST_CLASS} {{ display: grid; grid-template-columns: repeat(4, minmax(0, 1fr));
  gap: .35rem 1.25rem; margin: .1rem 0 .6rem 0; padding: 0; }}
.{LIST_CLASS} > div {{ min-width: 0; display: flex; flex-direction: column;
  justify-content: space-between; }}
.{LIST_CLASS} dt {{ font-size: .875rem; font-weight: 400; line-height: 1.25; margin: 0;
  overflow-wrap: anywhere; }}
.{LIST_CLASS} dd {{ font-size: 1.6rem; font-weight: 600; line-height: 1.2; margin: 0;
  overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }}
.{LIST_CLASS} dd small {{ display: block; font-size: .8rem; font-weight: 400; }}
.pp-kf-help {{ position: relative; display: inline-block; min-width: 24px; min-height: 24px;
  line-height: 24px; text-align: center; cursor: help; border-radius: 50%; }}
.pp-kf-help > span[aria-hidden] {{ display: inline-flex; align-items: center;
  justify-content: center; width: 1.25em; height: 1.25em; line-height: 1;
  border: 1px solid currentColor; border-radius: 50%; font-size: .8rem;
  vertical-align: middle; }}
.pp-kf-help:focus {{ outline: 2px solid #0b6e4f; outline-offset: 1px; }}
.pp-kf-tip {{ position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }}
.pp-kf-help:hover .pp-kf-tip, .pp-kf-help:focus .pp-kf-tip {{
  clip: auto; width: min(18rem, 60vw); height: auto; overflow: visible;
  white-space: normal; right: 0; top: 1.7rem; z-index: 1000; text-align: left;
  background: #111820; color: #fff; padding: .45rem .6rem; border-radius: .3rem;
  font-size: .85rem; line-height: 1.35; }}
@media (min-width: {WIDE_PX}px) {{
  .{LIST_CLASS} {{ grid-template-columns: repeat(8, minmax(0, 1fr)); }}
}}
@media (max-width: {NARROW_PX}px) {{
  .{LIST_CLASS} {{ grid-template-columns: repeat(2, minmax(0, 1fr)); gap: .35rem .75rem; }}
  .{LIST_CLASS} dd {{ font-size: 1.35rem; }}
}}
"""


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    help: str | None = None
    delta: str | None = None


def _figure(k: Kpi) -> str:
    label = html.escape(k.label)
    if k.help:
        # The help is part of the label (screen readers read it), shown on hover/focus.
        label += (" <span class='pp-kf-help' tabindex='0'><span aria-hidden='true'>?</span>"
                  f"<span class='pp-kf-tip'>{html.escape(k.help)}</span></span>")
    value = html.escape(k.value)
    if k.delta:
        value += f"<small>{html.escape(k.delta)}</small>"
    return f"<div><dt>{label}</dt><dd>{value}</dd></div>"


def key_figures_html(kpis: list[Kpi], name: str) -> str:
    """The figures as one definition list named ``name`` (for screen readers)."""
    items = "".join(_figure(k) for k in kpis)
    return (f"<div role='group' aria-label='{html.escape(name, quote=True)}'>"
            f"<dl class='{LIST_CLASS}'>{items}</dl></div>")


def show_kpis(kpis: list[Kpi], name: str) -> None:
    """The key figures of a view, as one element."""
    if kpis:
        st.markdown(key_figures_html(kpis, name), unsafe_allow_html=True)
