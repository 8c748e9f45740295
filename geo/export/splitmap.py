"""Two periods side by side as one picture (issue 26, split view): PNG 1920×1080 or PDF A4
landscape, one title, the two maps with their period in a corner, one legend for both
(one class scheme over both periods, each class with its count per period), scale bars,
a north arrow, the notes and sources — from two MapData of the same indicator, level and
region (geo.export.mapdata.map_data), drawn with the pieces of every exported map
(geo.export.draw)."""
from __future__ import annotations

import io
import time

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib_scalebar.scalebar import ScaleBar

from geo.export.draw import (
    BORDER,
    HATCHES,
    PDF_SIZE,
    PNG_DPI,
    PNG_SIZE,
    SAMPLE_RED,
    SEA,
    RenderInfo,
    add_polygons,
    draw_context,
    local_crs,
    nice_km,
    wrap_text,
)
from geo.export.mapdata import MapData, title_for
from geo.export.text import date_text, tr
from geo.indicators.definition import DEFAULT_MIN_DENOMINATOR
from geo.stats import classify as geo_classify


def shared(left: MapData, right: MapData, method: str = "fisher_jenks"
           ) -> tuple[MapData, MapData]:
    """Both maps classified together (one scheme over both periods' values; the WHO bins
    of stunting stay fixed)."""
    values = pd.concat([left.values["value"], right.values["value"]], ignore_index=True)
    cls = geo_classify.classify(values, left.indicator, method=method)
    colors = geo_classify.colors_for(left.indicator, len(cls.labels_id))
    out = []
    for d in (left, right):
        idx = cls.class_of(d.layer["code"].map(d.values.set_index("code")["value"])
                           .to_numpy(dtype=float))
        counts = [int((idx == i).sum()) for i in range(len(colors))] + [int((idx < 0).sum())]
        d.classification, d.colors, d.counts = cls, colors, counts
        out.append(d)
    return out[0], out[1]


def render_split(left: MapData, right: MapData, fmt: str = "png", today=None,
                 method: str = "fisher_jenks") -> tuple[bytes, RenderInfo]:
    """PNG/PDF bytes of ``left`` and ``right`` side by side, one legend."""
    started = time.perf_counter()
    left, right = shared(left, right, method)
    lang = left.lang
    size = PNG_SIZE if fmt == "png" else PDF_SIZE
    w, h = size
    s = min(w / PNG_SIZE[0], h / PNG_SIZE[1])
    fig = Figure(figsize=size, dpi=PNG_DPI, facecolor="white")
    FigureCanvasAgg(fig)
    inch = fig.dpi_scale_trans
    base = title_for(left.indicator, left.level, left.region, "", lang)
    title = f"{base}: {left.period} | {right.period}"
    info = RenderInfo(title=title, sample=left.sample or right.sample,
                      sample_reasons=list(dict.fromkeys(left.sample_reasons
                                                        + right.sample_reasons)),
                      layout="split", size_px=(round(w * PNG_DPI), round(h * PNG_DPI)))

    def text(x, y, body, **kw):
        info.texts.append(body)
        return fig.text(x, y, body, transform=inch, **kw)

    m = 0.3 * s
    t = text(m, h - m, title, fontsize=22 * s, fontweight="bold", va="top", ha="left",
             color="#111111")
    renderer = fig.canvas.get_renderer()
    while t.get_window_extent(renderer).width > (w - 2 * m) * PNG_DPI and t.get_fontsize() > 10:
        t.set_fontsize(t.get_fontsize() - 1)      # shrunk until it fits the width
    sub = " · ".join(list(dict.fromkeys(left.sources + right.sources))
                     + [tr("made", lang, date=date_text(today, lang))])
    text(m, h - m - 0.5 * s, wrap_text(sub, w - 2 * m, 11 * s), fontsize=11 * s, va="top",
         ha="left", color="#444444")
    legend_h = 2.3 * s
    top, bottom = h - m - 0.95 * s, m + legend_h
    gap = 0.15 * s
    mw = (w - 2 * m - gap) / 2
    crs = local_crs(left.layer.total_bounds)
    for i, d in enumerate((left, right)):
        x0 = m + i * (mw + gap)
        ax = fig.add_axes((x0 / w, bottom / h, mw / w, (top - bottom) / h))
        ax.set_facecolor(SEA)
        ax.set_xticks([])
        ax.set_yticks([])
        layer = d.layer.to_crs(crs)
        minx, miny, maxx, maxy = layer.total_bounds
        pad = 0.03 * max(maxx - minx, maxy - miny)
        if d.region:
            draw_context(ax, crs, d.layer.total_bounds)
        idx = d.classification.class_of(d.layer["code"].map(d.values.set_index("code")["value"])
                                        .to_numpy(dtype=float))
        fills = [d.colors[k] if k >= 0 else geo_classify.NO_DATA_COLOR for k in idx]
        add_polygons(ax, layer.geometry.values, fills, BORDER, 0.4 * s, 2)
        for level, pattern in HATCHES.items():
            codes = [c for c, v in d.hatch.items() if v == level]
            if codes:
                add_polygons(ax, layer.loc[layer["code"].isin(codes)].geometry.values, "none",
                             "#222222", 0, 3, hatch=pattern)
        # limits widened to the box's shape: the whole area shows, the scale stays equal
        cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
        hw, hh = (maxx - minx) / 2 + pad, (maxy - miny) / 2 + pad
        box = mw / (top - bottom)
        hw, hh = (hh * box, hh) if hw / hh < box else (hw, hw / box)
        ax.set_xlim(cx - hw, cx + hw)
        ax.set_ylim(cy - hh, cy + hh)
        ax.set_aspect("equal", adjustable="box")
        ax.text(0.985, 0.975, d.period, transform=ax.transAxes, ha="right", va="top",
                fontsize=18 * s, fontweight="bold", zorder=8,
                bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="#555555"))
        info.texts.append(d.period)
        ax.add_artist(ScaleBar(1.0, units="m", dimension="si-length", fixed_units="km",
                               fixed_value=nice_km(0.25 * 2 * hw / 1000),
                               location="lower left", box_alpha=0.85,
                               font_properties={"size": 10 * s}))
        if d.sample:
            ax.text(0.015, 0.975, tr("sample_mark", lang), transform=ax.transAxes,
                    fontsize=18 * s, fontweight="bold", color=SAMPLE_RED, va="top", ha="left",
                    zorder=8, bbox=dict(boxstyle="round,pad=0.3", facecolor="white",
                                        edgecolor=SAMPLE_RED, linewidth=2 * s))
        if i == 1:
            ax.annotate(tr("north", lang), xy=(0.95, 0.82), xytext=(0.95, 0.70),
                        xycoords="axes fraction", textcoords="axes fraction", ha="center",
                        va="center", fontsize=14 * s, fontweight="bold",
                        arrowprops=dict(facecolor="black", width=4 * s, headwidth=12 * s,
                                        headlength=12 * s), zorder=7)
    # one legend for both: class, then "(left | right)" counts
    unit = left.indicator.unit(lang)
    head = left.indicator.label(lang) + (f" ({unit})" if unit else "") + \
        f" — {left.period} | {right.period}"
    y = bottom - 0.2 * s
    text(m, y, head, fontsize=13 * s, fontweight="bold", va="top", ha="left", color="#111111")
    labels = left.labels + [tr("no_data", lang)]
    colors = left.colors + [geo_classify.NO_DATA_COLOR]
    rows = [(c, f"{lab} ({a} | {b})") for c, lab, a, b in
            zip(colors, labels, left.counts, right.counts)]
    if left.hatch or right.hatch:
        rows += [("hatch1", tr("hatch_caution", lang)),
                 ("hatch2", tr("hatch_unreliable", lang, d=DEFAULT_MIN_DENOMINATOR))]
    per_col, col_w, row_h = 3, 3.9 * s, 0.38 * s
    for i, (color, label) in enumerate(rows):
        col, r = divmod(i, per_col)
        x, yy = m + col * col_w, y - 0.45 * s - (r + 1) * row_h
        hatch = HATCHES[int(color[-1])] if color.startswith("hatch") else None
        fig.add_artist(Rectangle((x, yy), 0.45 * s, 0.26 * s, transform=inch,
                                 facecolor="white" if hatch else color, edgecolor="#555555",
                                 linewidth=0.8 * s, hatch=hatch))
        if not hatch:
            info.swatches.append((color, label, ((x + 0.22 * s) * PNG_DPI,
                                                 (h - yy - 0.13 * s) * PNG_DPI)))
        text(x + 0.6 * s, yy + 0.13 * s, label, fontsize=11.5 * s, va="center", ha="left",
             color="#111111")
    notes = list(dict.fromkeys(([tr("sample_mark", lang) + ": " + " ".join(info.sample_reasons)]
                                if info.sample else []) + left.notes + right.notes))
    nx = m + (len(rows) + per_col - 1) // per_col * col_w + 0.2 * s
    ny = y - 0.45 * s
    for note in notes:
        wrapped = wrap_text(note, w - m - nx, 10 * s)
        text(nx, ny, wrapped, fontsize=10 * s, va="top", ha="left",
             color=SAMPLE_RED if note.startswith(tr("sample_mark", lang)) else "#333333")
        ny -= (wrapped.count("\n") + 1) * 10 * s * 1.3 / 72 + 0.08 * s
    text(m, m * 0.5, tr("boundaries", lang) + ".", fontsize=9.5 * s, va="bottom", ha="left",
         color="#555555")
    buf = io.BytesIO()
    meta = {"Title": title, "Creator": "Peta Posyandu"} if fmt == "pdf" else \
        {"Title": title, "Software": "Peta Posyandu"}
    fig.savefig(buf, format=fmt, dpi=PNG_DPI, metadata=meta, facecolor="white")
    info.seconds = time.perf_counter() - started
    return buf.getvalue(), info
