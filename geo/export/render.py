"""Server-side map pictures (PNG 1920×1080, PDF A4 landscape) with matplotlib: no browser,
no internet. The layout fills the frame: the map takes the side of the frame its shape
suits (Indonesia, ~3:1, spans the width with the legend below; a province sits left with
the legend beside it), and every mark a printed map needs is drawn in figure inches, so
nothing is clipped (no ``bbox_inches="tight"``)."""
from __future__ import annotations

import io
import math
import textwrap
import time
from dataclasses import dataclass, field

import matplotlib
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox
from matplotlib_scalebar.scalebar import ScaleBar

from geo.export.labels import place_labels
from geo.export.mapdata import MapData, class_index
from geo.export.text import date_text, num, short_name, tr
from geo.hazards import types as ht
from geo.indicators.definition import DEFAULT_MIN_DENOMINATOR
from geo.stats import classify as geo_classify

matplotlib.rcParams["font.family"] = "DejaVu Sans"
matplotlib.rcParams["pdf.fonttype"] = 42  # embed TrueType: text stays text in the PDF

PNG_SIZE = (16.0, 9.0)     # inches; × 120 dpi = 1920 × 1080 (16:9)
PNG_DPI = 120
PDF_SIZE = (11.69, 8.27)   # A4 landscape
HAZARD_COLORS = {"rendah": "#fee391", "sedang": "#fe9929", "tinggi": "#cc4c02"}  # unknown type
HAZARD_HATCH = "////"      # zones are hatched: never read as a choropleth class
ZONE_ALPHA = 0.45
SEA = "#eef3f7"
CONTEXT = "#e4e4e4"
BORDER = "#ffffff"
SAMPLE_RED = "#b30000"
HATCHES = {1: "///", 2: "//////"}   # sparse "hati-hati", dense "tidak akurat" (issue 26)


@dataclass
class RenderInfo:
    title: str
    sample: bool
    sample_reasons: list[str]
    layout: str                     # "side" (legend beside the map) or "below"
    size_px: tuple[int, int]
    swatches: list[tuple[str, str, tuple[float, float]]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)   # codes labelled on the map
    texts: list[str] = field(default_factory=list)    # every text drawn outside the map
    legend: list[str] = field(default_factory=list)   # the legend's entries, in order
    hatched: dict[int, int] = field(default_factory=dict)  # hatching level → regions drawn
    seconds: float = 0.0


def polygon_paths(geoms) -> list[MplPath]:
    """One compound matplotlib Path per (multi)polygon, holes included (exteriors turned
    counter-clockwise and holes clockwise, so the non-zero fill leaves holes empty).
    Vectorised: geopandas' plot builds one patch per ring and took ~8 s for the national
    kabupaten layer; this takes a fraction of a second."""
    geoms = shapely.orient_polygons(np.asarray(geoms, dtype=object))
    polys, poly_geom = shapely.get_parts(geoms, return_index=True)
    rings, ring_poly = shapely.get_rings(polys, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(coords), MplPath.LINETO, dtype=MplPath.code_type)
    starts = np.r_[0, np.flatnonzero(np.diff(coord_ring)) + 1]
    codes[starts] = MplPath.MOVETO
    codes[np.r_[starts[1:] - 1, len(coords) - 1]] = MplPath.CLOSEPOLY
    coord_geom = poly_geom[ring_poly[coord_ring]]
    bounds = np.searchsorted(coord_geom, np.arange(len(geoms) + 1))
    return [MplPath(coords[a:b], codes[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]


def add_polygons(ax, geoms, facecolors, edgecolor, linewidth, zorder, **kw) -> PathCollection:
    coll = PathCollection(polygon_paths(geoms), facecolors=facecolors, edgecolors=edgecolor,
                          linewidths=linewidth, zorder=zorder, **kw)
    ax.add_collection(coll, autolim=False)
    return coll


def nice_km(target: float) -> float:
    """The 1-2-5 number of kilometres nearest below ``target`` (scale bar length)."""
    if target <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(target))
    return max(m * power for m in (1, 2, 5) if m * power <= target)


def local_crs(bounds) -> str:
    """Mercator true to scale at the map's central latitude, so a scale bar in metres is
    right there (Indonesia spans ±11°: at most ~2 % off at its edges; a province: <0.3 %)."""
    minx, miny, maxx, maxy = bounds
    lat, lon = (miny + maxy) / 2, (minx + maxx) / 2
    return f"+proj=merc +lat_ts={lat:.4f} +lon_0={lon:.4f} +datum=WGS84 +units=m +no_defs"


class _Layout:
    """Boxes in figure inches for a frame of ``w`` × ``h`` inches."""

    def __init__(self, w: float, h: float, aspect: float, n_entries: int, title: bool = True):
        self.w, self.h = w, h
        s = self.s = min(w / PNG_SIZE[0], h / PNG_SIZE[1])
        self.m = 0.3 * s
        self.title_pt, self.sub_pt, self.foot_pt = 24 * s * title, 13 * s, 10.5 * s
        # region labels 11 pt: 18 px on a 1920×1080 picture (projected, still readable)
        self.entry_pt, self.note_pt, self.label_pt = 15 * s, 11.5 * s, 11 * s
        self.row = self.entry_pt * 1.75 / 72
        self.top = self.m + (self.title_pt * 1.35 + self.sub_pt * 1.5) / 72 + 0.12 * s
        self.foot = self.m + self.foot_pt * 1.6 / 72
        bw, bh = w - 2 * self.m, h - self.top - self.foot
        gap = 0.25 * s
        legend_h = (n_entries + 1.6) * self.row

        def fitted(bx, by):
            return min(bx, by * aspect) * min(by, bx / aspect)
        # beside: the panel takes what the map cannot use, at least 4.4 in
        pw = max(4.4 * s, bw - gap - bh * aspect)
        side = (self.m, self.foot, bw - pw - gap, bh)
        # below: the panel takes what the map cannot use, at least 1.7 in
        ph = max(1.7 * s, bh - gap - bw / aspect)
        below = (self.m, self.foot + ph + gap, bw, bh - ph - gap)
        if fitted(*below[2:]) > fitted(*side[2:]) * 1.05:
            self.kind, self.map = "below", below
            self.panel = (self.m, self.foot, bw, ph)
            self.rows_per_col = max(1, int((ph - 1.3 * self.row) / self.row))
        else:
            self.kind, self.map = "side", side
            self.panel = (self.m + bw - pw, self.foot, pw, bh)
            self.rows_per_col = max(n_entries, int(min(legend_h, bh) / self.row))


def _wrap(text: str, width_in: float, pt: float, bold: bool = False) -> str:
    chars = max(20, int(width_in * 72 / (pt * (0.66 if bold else 0.58))))
    return "\n".join(textwrap.wrap(text, chars))


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
    lay = _Layout(w, h, aspect, len(entries) + len(extra), title)
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
        _draw_context(ax, crs, data.layer.total_bounds)
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

    _draw_panel(fig, lay, data, entries, extra, info, text, dpi)
    foot = tr("boundaries", lang) + ". " + tr("scale_note", lang).capitalize() + "."
    text(lay.m, lay.m * 0.8, foot, fontsize=lay.foot_pt, va="bottom", ha="left", color="#555555")
    info.seconds = time.perf_counter() - started
    return fig, info


def zone_color(jenis: str, kelas: str) -> str:
    """Fill of a hazard zone: its type's colour ramp (geo.hazards.types), as on the screen."""
    h = ht.BY_ID.get(str(jenis))
    return h.color(kelas) if h else HAZARD_COLORS.get(kelas, "#999999")


def hazard_legend(data: MapData) -> list[tuple]:
    """One legend row per hazard type drawn: its three class colours, hatched, and
    'Zona <type>: rendah · sedang · tinggi'."""
    if data.hazards is None or not len(data.hazards):
        return []
    drawn = set(data.hazards["jenis"].astype(str))
    types = [j for j in (data.hazard_types or ht.ORDER) if j in drawn]
    types += sorted(drawn - set(types))
    lang = data.lang
    kelas = str(data.hazards["kelas"].iloc[0])
    classes = " · ".join(tr(k, lang) for k in ht.KELAS if k in set(data.hazards["kelas"]))
    return [("hazard_head", tr("hazard_zones_head", lang, classes=classes))] + \
        [(("hazard", j, kelas), ht.label(j, lang)) for j in types]


def _draw_context(ax, crs: str, bounds) -> None:
    """Neighbouring provinces in light grey, so a province map is not an island."""
    from geo.regions import display
    provinces = display.display_layer("provinsi", None)
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx), (maxy - miny)
    near = provinces.cx[minx - dx: maxx + dx, miny - dy: maxy + dy]
    if len(near):
        add_polygons(ax, near.to_crs(crs).geometry.values, CONTEXT, BORDER, 0.8, 1)


def _draw_panel(fig, lay: _Layout, data: MapData, entries, extra, info: RenderInfo, text,
                dpi: int) -> None:
    """Legend (title with unit, one swatch per class with its count, no data, marks), the
    sample notice, notes; beside the map or in the band below it."""
    lang = data.lang
    px, py, pw, ph = lay.panel
    h = lay.h
    unit = data.indicator.unit(lang)
    head = data.indicator.label(lang) + (f" ({unit})" if unit else "")
    top = py + ph
    col_w = 3.6 * lay.s if lay.kind == "below" else pw
    head_t = text(px, top, _wrap(head, (col_w if lay.kind == "side" else 2 * col_w) - 0.1,
                                 lay.entry_pt), fontsize=lay.entry_pt, fontweight="bold",
                  va="top", ha="left", color="#111111")
    head_lines = head_t.get_text().count("\n") + 1
    y0 = top - head_lines * lay.entry_pt * 1.35 / 72 - 0.12 * lay.s
    sw, sh = 0.55 * lay.s, lay.row * 0.72
    rows = [(c, f"{lab} ({n})" if n is not None else lab) for c, lab, n in entries] + list(extra)
    per_col = lay.rows_per_col if lay.kind == "below" else len(rows)
    info.legend = [head] + [label for _c, label in rows]
    for i, (color, label) in enumerate(rows):
        col, r = divmod(i, per_col)
        x = px + col * col_w
        y = y0 - (r + 1) * lay.row
        if isinstance(color, tuple) and color[0] == "hazard":
            fig.add_artist(Rectangle(      # hatched, as the zones on the map
                (x, y + (lay.row - sh) / 2), sw, sh, transform=fig.dpi_scale_trans,
                facecolor=to_rgba(zone_color(color[1], color[2]), ZONE_ALPHA),
                edgecolor=zone_color(color[1], "tinggi"), linewidth=0.6 * lay.s,
                hatch=HAZARD_HATCH))
            text(x + sw + 0.15 * lay.s, y + lay.row / 2, label, fontsize=lay.entry_pt,
                 va="center", ha="left", color="#111111")
            continue
        if color == "hazard_head":
            text(x, y + lay.row / 2, label, fontsize=lay.note_pt, va="center", ha="left",
                 color="#111111", fontweight="bold")
            continue
        if color == "marked":
            rect = Rectangle((x, y + (lay.row - sh) / 2), sw, sh, transform=fig.dpi_scale_trans,
                             facecolor="none", edgecolor="black", linewidth=1.8 * lay.s,
                             linestyle=(0, (4, 3)))
        elif color in ("hatch1", "hatch2"):
            rect = Rectangle((x, y + (lay.row - sh) / 2), sw, sh, transform=fig.dpi_scale_trans,
                             facecolor="white", edgecolor="#222222", linewidth=0.8 * lay.s,
                             hatch=HATCHES[int(color[-1])])
        else:
            rect = Rectangle((x, y + (lay.row - sh) / 2), sw, sh, transform=fig.dpi_scale_trans,
                             facecolor=color, edgecolor="#555555", linewidth=0.8 * lay.s)
            if i < len(entries):
                cx, cy = x + sw / 2, y + lay.row / 2
                info.swatches.append((color, label, (cx * dpi, (h - cy) * dpi)))
        fig.add_artist(rect)
        text(x + sw + 0.15 * lay.s, y + lay.row / 2, label, fontsize=lay.entry_pt,
             va="center", ha="left", color="#111111")
    if lay.kind == "side":
        nx, ny, nw = px, y0 - (len(rows) + 0.8) * lay.row, pw
    else:
        ncols = math.ceil(len(rows) / per_col)
        nx, ny = px + ncols * col_w + 0.2 * lay.s, top
        nw = px + pw - nx
    blocks = []
    if data.sample:
        blocks.append((tr("sample_mark", lang) + ": " + " ".join(data.sample_reasons),
                       SAMPLE_RED, "bold"))
    elif data.indicator.source != "registri":
        blocks.append((tr("published_only", lang), "#333333", "normal"))
    blocks += [(n, "#333333", "normal") for n in data.notes]
    if lay.kind == "side":  # the sources are in the line under the title as well
        blocks += [(s, "#555555", "normal") for s in data.sources]
    list_x, list_y, list_w = None, None, 0.0
    if lay.kind == "below" and nw > 8 * lay.s:   # notes and the ranked list side by side
        list_x, list_y, list_w = nx + nw / 2, top, nw / 2
        nw = nw / 2 - 0.2 * lay.s
    for body, color, weight in blocks:
        wrapped = _wrap(body, nw - 0.1, lay.note_pt, weight == "bold")
        text(nx, ny, wrapped, fontsize=lay.note_pt, va="top", ha="left", color=color,
             fontweight=weight)
        ny -= (wrapped.count("\n") + 1) * lay.note_pt * 1.3 / 72 + 0.12 * lay.s
    if list_x is None:
        list_x, list_y, list_w = nx, ny - 0.1 * lay.s, nw
    _ranked_list(data, lay, text, list_x, list_y, list_w, list_y - py)


def _ranked_list(data: MapData, lay: _Layout, text, x: float, y: float, width: float,
                 height: float) -> None:
    """The regions with a value, rank 1 first, as many as fit (a meeting reads the worst
    first; the rest is said as a count)."""
    lang = data.lang
    ranked = data.values.dropna(subset=["rank"]).sort_values(["rank", "code"])
    pt = lay.note_pt
    line = pt * 1.45 / 72
    fit = int(height / line) - 1
    if ranked.empty or fit < 2 or width < 2.5 * lay.s:
        return
    width = min(width, 4.6 * lay.s)
    worst = "worst_high" if data.indicator.higher_is_worse else "worst_low"
    text(x, y, tr("ranked_head", lang, worst=tr(worst, lang)), fontsize=pt, fontweight="bold",
         va="top", ha="left", color="#111111")
    shown = ranked if len(ranked) <= fit else ranked.head(fit - 1)
    dec = data.indicator.decimals
    chars = max(12, int((width - 1.3 * lay.s) * 72 / (pt * 0.58)))
    for i, (rank, name, value) in enumerate(zip(shown["rank"], shown["name"], shown["value"])):
        yy = y - (i + 1) * line
        label = f"{int(rank)}. {short_name(str(name))}"
        text(x, yy, label[:chars], fontsize=pt, va="top", ha="left", color="#222222")
        text(x + width - 0.15 * lay.s, yy, num(value, dec, lang), fontsize=pt, va="top",
             ha="right", color="#222222")
    if len(shown) < len(ranked):
        text(x, y - (len(shown) + 1) * line, tr("more", lang, n=len(ranked) - len(shown)),
             fontsize=pt, va="top", ha="left", color="#555555")


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
