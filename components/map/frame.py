"""The frame of a map page: what the page writes above its map, the map row (the map's
title, the map, its legend) and what the page writes below.

Streamlit keys a page's elements by page: a map drawn by a page is a new map (a new
iframe, Leaflet and the map's scripts loaded again) on every other page. The shell
therefore lays out the map row before the page runs, and the map is drawn into it as an
element of the shell (the main script's hash), not of the page, as soon as the page has
built it: the map is then the same element on every map page, stays mounted in the
browser, and each view (another page, a drill-down, another indicator) sends it only the
new layer (components.map.view.MapParts).

A page runs inside ``above``; components.map.choropleth.map_section writes the map's title
and legend into the row, hands the map over (``show``), and switches the rest of the page
to ``below``. ``show`` also releases the map's message ahead of the page's other elements
(components.map.first). A page run without a frame (no shell) draws its map inline.
"""
from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components.map import first
from components.map.view import MapParts, show_map

_LOCAL = threading.local()     # the frame of the script run of this thread


@dataclass
class Frame:
    above: DeltaGenerator
    title: DeltaGenerator
    map_col: DeltaGenerator
    side: DeltaGenerator
    below: DeltaGenerator
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def show(self, parts: MapParts, key: str, height: int) -> None:
        """The map of this view, drawn into its row now, as an element of the shell (not of
        the page), before the page writes what comes below the map; its message is sent
        before the page's others (components.map.first.release)."""
        ctx = get_script_run_ctx()
        with (ctx.run_with_active_hash(ctx.pages_manager.main_script_hash) if ctx
              else contextlib.nullcontext()), self.map_col:
            show_map(parts, key=key, height=height)
        first.release()

    def to_below(self) -> None:
        """What the page writes from now on goes below the map row."""
        self.stack.enter_context(self.below)


def current() -> Frame | None:
    return getattr(_LOCAL, "frame", None)


@contextlib.contextmanager
def run_page(projector: bool):
    """Lay out the frame and run the page (the body of the ``with``) inside it; the page's
    map goes into the row when the page has built it (``Frame.show``). The frame's
    containers come before the page's own elements, at the same place on every map page."""
    above = st.container()
    row = st.container()
    title = row.container()
    map_col, side = row.columns([5, 1.3] if projector else [4, 1.2])
    frame = Frame(above=above, title=title, map_col=map_col, side=side,
                  below=st.container())
    _LOCAL.frame = frame
    try:
        with frame.stack:
            frame.stack.enter_context(above)
            yield frame
    finally:
        _LOCAL.frame = None
