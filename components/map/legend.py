"""Map legend drawn by Streamlit (not on the map: a branca colormap would load d3 from a CDN)."""
from __future__ import annotations

import html

import streamlit as st

from components.i18n import t
from geo.stats import classify as geo_classify


def legend_html(title: str, unit: str, labels: list[str], colors: list[str],
                counts: list[int] | None = None, extra: list[tuple[str, str]] | None = None,
                large: bool = False, notes: list[str] | None = None) -> str:
    """HTML of a legend: one swatch per class, the grey no-data class, extra entries, then
    ``notes`` (how to read it) in small type."""
    size = 22 if large else 15
    rows = []
    entries = list(zip(colors, labels)) + [(geo_classify.NO_DATA_COLOR, t("no_data"))]
    for i, (color, label) in enumerate(entries):
        count = f" <span style='color:#555'>({counts[i]})</span>" if counts and i < len(counts) else ""
        rows.append(
            f"<div style='display:flex;align-items:center;margin:3px 0'>"
            f"<span style='display:inline-block;width:{size * 1.6}px;height:{size}px;"
            f"background:{html.escape(color)};border:1px solid #555;margin-right:8px'></span>"
            f"<span>{html.escape(label)}{count}</span></div>")
    for style, label in extra or []:
        rows.append(
            f"<div style='display:flex;align-items:center;margin:3px 0'>"
            f"<span style='display:inline-block;width:{size * 1.6}px;height:{size}px;"
            f"{html.escape(style)};margin-right:8px'></span><span>{html.escape(label)}</span></div>")
    head = html.escape(title) + (f" <span style='font-weight:400'>({html.escape(unit)})</span>" if unit else "")
    rows += [f"<p class='pp-legend-note'>{html.escape(note)}</p>" for note in notes or []]
    return (f"<div class='pp-legend' style='font-size:{size}px;line-height:1.3'>"
            f"<div style='font-weight:700;margin-bottom:4px'>{head}</div>{''.join(rows)}</div>")


def show_legend(title: str, unit: str, labels: list[str], colors: list[str],
                counts: list[int] | None = None, extra: list[tuple[str, str]] | None = None,
                large: bool = False, notes: list[str] | None = None) -> None:
    st.markdown(legend_html(title, unit, labels, colors, counts, extra, large, notes),
                unsafe_allow_html=True)
