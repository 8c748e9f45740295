"""Region names on an exported map that never overlap: a greedy pass over the regions,
largest first, that keeps a label only when its text box (measured by the renderer) is
inside the map and clear of every label and mark already placed."""
from __future__ import annotations

import geopandas as gpd
from matplotlib import patheffects
from matplotlib.transforms import Bbox

from geo.export.text import short_name


def place_labels(ax, layer: gpd.GeoDataFrame, fontsize: float, renderer,
                 taken: list[Bbox] | None = None, pad_px: float = 3.0) -> list[str]:
    """Draw the names of ``layer`` (projected, columns code, name, geometry) on ``ax``;
    return the codes labelled. ``taken``: display boxes already occupied (legend marks)."""
    ax_box = ax.get_window_extent(renderer)
    placed: list[Bbox] = list(taken or [])
    order = layer.assign(_area=layer.geometry.area).sort_values("_area", ascending=False)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    done = []
    for code, name, geom in zip(order["code"], order["name"], order.geometry):
        if geom is None or geom.is_empty:
            continue
        pt = geom.representative_point()
        if not (x0 <= pt.x <= x1 and y0 <= pt.y <= y1):
            continue
        text = ax.text(pt.x, pt.y, short_name(str(name)), fontsize=fontsize, ha="center",
                       va="center", color="#111111", zorder=6,
                       path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")])
        box = text.get_window_extent(renderer).expanded(1.0, 1.0).padded(pad_px)
        inside = (box.x0 >= ax_box.x0 and box.x1 <= ax_box.x1
                  and box.y0 >= ax_box.y0 and box.y1 <= ax_box.y1)
        if not inside or any(box.overlaps(b) for b in placed):
            text.remove()
            continue
        placed.append(box)
        done.append(code)
    return done
