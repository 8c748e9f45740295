"""Server-side map pictures (PNG 1920×1080, PDF A4 landscape) with matplotlib: no browser,
no internet. The layout fills the frame: the map takes the side of the frame its shape
suits (Indonesia, ~3:1, spans the width with the legend below; a province sits left with
the legend beside it), and every mark a printed map needs is drawn in figure inches, so
nothing is clipped (no ``bbox_inches="tight"``). The frame and its legend panel are
geo.export.panel; the pieces every picture shares, geo.export.draw."""
from __future__ import annotations

import io
import time

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from matplotlib_scalebar.scalebar import ScaleBar

from geo.export.draw import (
    BORDER,
    HATCHES,
    HAZARD_HATCH,
    PDF_SIZE,
    PNG_DPI,
    PNG_SIZE,
    SAMPLE_RED,
    SEA,
    ZONE_ALPHA,
    RenderInfo,
    add_polygons,
    draw_context,
    local_crs,
    nice_km,
    zone_color,
)
from geo.export.labels import place_labels
from geo.export.mapdata import MapData, class_index
from geo.export.panel import Layout, draw_panel, hazard_legend
from geo.export.text import date_text, tr
from geo.indicators.definition import DEFAULT_MIN_DENOMINATOR
from geo.stats import classify as geo_classify


def figure(data: MapData, size=PNG_SIZE, dpi: int = PNG_DPI, labels: bool = False,
           today=None, title: bool = True, label_scale: float = 1.0) -> tuple[Figure, RenderInfo]:
    """The map of ``data`` as a matplotlib Figure of ``size`` inches (``title=False``: for a
    slide that has its own title; the sources line stays). ``label_scale``: region labels
    that much larger (a picture shown smaller than its pixels, e.g. on a slide)."""
    started = time.perf_counter()
    lang = data.lang
    crs = local_crs(data.layer.total_bounds)
    layer = data.layer.to_crs(crs)
    minx, miny, maxx, maxy = layer.total_bounds
    pad = 0.03 * max(maxx - minx, maxy - miny)
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    aspect = (maxx - minx) / max(maxy - miny, 1.0)

    entries = [(c, lab, n) for c, lab, n in zip(data.colors, data.labels, data.counts)]
    entries.append((geo_classify.NO_DATA_COLOR, tr("no_data", lang), data.counts[-1]))
    entries += [(c, lab, n) for c, lab, n in data.special_legend]
    extra = []
    if data.marked:
        extra.append(("marked", data.marked_label))
    extra += hazard_legend(data)
    if data.hatch:
        extra += [("hatch1", tr("hatch_caution", lang)),
                  ("hatch2", tr("hatch_unreliable", lang, d=DEFAULT_MIN_DENOMINATOR))]
    w, h = size
    lay = Layout(w, h, aspect, len(entries) + len(extra), title)
    lay.label_pt *= label_scale
    fig = Figure(figsize=size, dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    inch = fig.dpi_scale_trans
    info = RenderInfo(title=data.title, sample=data.sample, sample_reasons=list(data.sample_reasons),
                      layout=lay.kind, size_px=(round(w * dpi), round(h * dpi)))

    def text(x, y, s, **kw):
        info.texts.append(s)
        return fig.text(x, y, s, transform=inch, **kw)

    # title (shrunk until it fits the width) and the line under it
    if title:
        t = text(lay.m, h - lay.m, data.title, fontsize=lay.title_pt, fontweight="bold",
                 va="top", ha="left", color="#111111")
        while (t.get_window_extent(renderer).width > (w - 2 * lay.m) * dpi
               and t.get_fontsize() > 12):
            t.set_fontsize(t.get_fontsize() - 1)
    sub = " · ".join(data.sources + [tr("made", lang, date=date_text(today, lang))])
    s = text(lay.m, h - lay.m - lay.title_pt * 1.35 / 72, sub, fontsize=lay.sub_pt,
             va="top", ha="left", color="#444444")
    while s.get_window_extent(renderer).width > (w - 2 * lay.m) * dpi and s.get_fontsize() > 8:
        s.set_fontsize(s.get_fontsize() - 0.5)

    # the map
    mx, my, mw, mh = lay.map
    ax = fig.add_axes((mx / w, my / h, mw / w, mh / h))
    ax.set_facecolor(SEA)
    for side in ax.spines.values():
        side.set_edgecolor("#999999")
    ax.set_xticks([])
    ax.set_yticks([])
    # data limits widened to the box's shape: the map fills its box, scale stays equal
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    half_w, half_h = (maxx - minx) / 2, (maxy - miny) / 2
    if half_w / half_h < mw / mh:
        half_w = half_h * mw / mh
    else:
        half_h = half_w * mh / mw
    minx, maxx, miny, maxy = cx - half_w, cx + half_w, cy - half_h, cy + half_h
    if data.region:
        draw_context(ax, crs, data.layer.total_bounds)
    idx = class_index(data)
    palette = list(data.colors) + [geo_classify.NO_DATA_COLOR]
    fills = [palette[i] if i >= 0 else geo_classify.NO_DATA_COLOR for i in idx]
    fills = [data.special_fills.get(c, f) for c, f in zip(layer["code"], fills)]
    edge = 0.25 if len(layer) > 150 else 0.6
    add_polygons(ax, layer.geometry.values, fills, BORDER, edge * lay.s, 2)
    for level, pattern in HATCHES.items():     # unreliable estimates, over their colour
        codes = [c for c, h in data.hatch.items() if h == level]
        info.hatched[level] = int(layer["code"].isin(codes).sum())
        if codes:
            add_polygons(ax, layer.loc[layer["code"].isin(codes)].geometry.values, "none",
                         "#222222", 0, 3, hatch=pattern)
    if data.marked:
        add_polygons(ax, layer.loc[layer["code"].isin(data.marked)].geometry.values, "none",
                     "#000000", 1.6 * lay.s, 3, linestyles=[(0, (4, 3))])
    if data.hazards is not None and len(data.hazards):
        zones = data.hazards.to_crs(crs)
        # the class colour of the zone's type, half transparent, hatched in the type's
        # darkest colour: a zone is never read as a class of the choropleth below it (the
        # zones drawn are those of the class the indicator counts: mapdata.counted_class)
        add_polygons(ax, zones.geometry.values,
                     [to_rgba(zone_color(j, k), ZONE_ALPHA)
                      for j, k in zip(zones["jenis"], zones["kelas"])],
                     [zone_color(j, "tinggi") for j in zones["jenis"]], 0.4 * lay.s, 4,
                     hatch=HAZARD_HATCH)
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("")
    ax.set_ylabel("")

    bar = ScaleBar(1.0, units="m", dimension="si-length", fixed_units="km",
                   fixed_value=nice_km(0.18 * (maxx - minx) / 1000), location="lower left",
                   box_alpha=0.85,
                   font_properties={"size": lay.note_pt}, border_pad=0.6)
    ax.add_artist(bar)
    north = ax.annotate(tr("north", lang), xy=(0.965, 0.93), xytext=(0.965, 0.80),
                        xycoords="axes fraction", textcoords="axes fraction",
                        ha="center", va="center", fontsize=lay.entry_pt, fontweight="bold",
                        arrowprops=dict(facecolor="black", edgecolor="black",
                                        width=4 * lay.s, headwidth=14 * lay.s,
                                        headlength=14 * lay.s), zorder=7)
    taken = []
    if data.sample:
        stamp = ax.text(0.012, 0.975, tr("sample_mark", lang), transform=ax.transAxes,
                        fontsize=24 * lay.s, fontweight="bold", color=SAMPLE_RED,
                        va="top", ha="left", zorder=8,
                        bbox=dict(boxstyle="round,pad=0.35", facecolor="white",
                                  edgecolor=SAMPLE_RED, linewidth=2.5 * lay.s))
        info.texts.append(stamp.get_text())
        taken.append(stamp.get_window_extent(renderer).padded(4))
    taken.append(north.get_window_extent(renderer).padded(6))
    ax_box = ax.get_window_extent(renderer)
    # the scale bar sits in the lower-left corner: keep labels off it
    taken.append(Bbox.from_bounds(ax_box.x0, ax_box.y0, 0.25 * ax_box.width + 40,
                                          lay.note_pt * 4.5 * dpi / 72))
    if labels:
        info.labels = place_labels(ax, layer, lay.label_pt, renderer, taken)

    draw_panel(fig, lay, data, entries, extra, info, text, dpi)
    foot = tr("boundaries", lang) + ". " + tr("scale_note", lang).capitalize() + "."
    text(lay.m, lay.m * 0.8, foot, fontsize=lay.foot_pt, va="bottom", ha="left", color="#555555")
    info.seconds = time.perf_counter() - started
    return fig, info


def render(data: MapData, fmt: str = "png", labels: bool = False, today=None,
           size=None, title: bool = True, label_scale: float = 1.0) -> tuple[bytes, RenderInfo]:
    """PNG (1920×1080) or PDF (A4 landscape) bytes of the map, and what was drawn."""
    started = time.perf_counter()
    fmt = fmt.lower().lstrip(".")
    if fmt not in ("png", "pdf"):
        raise ValueError(f"format peta tidak dikenal: {fmt!r} (png atau pdf)")
    size = size or (PNG_SIZE if fmt == "png" else PDF_SIZE)
    fig, info = figure(data, size=size, dpi=PNG_DPI, labels=labels, today=today, title=title,
                       label_scale=label_scale)
    buf = io.BytesIO()
    meta = {"Title": data.title, "Creator": "Peta Posyandu"} if fmt == "pdf" else \
        {"Title": data.title, "Software": "Peta Posyandu"}
    extra = {"pil_kwargs": {"compress_level": 4}} if fmt == "png" else {}
    fig.savefig(buf, format=fmt, dpi=PNG_DPI, metadata=meta, facecolor="white", **extra)
    info.seconds = time.perf_counter() - started
    return buf.getvalue(), info
