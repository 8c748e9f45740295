"""The frame of an exported map (``Layout``: the map's box and the legend panel's, beside
the map or in a band below it) and the panel drawn in it: the legend (title with unit, one
swatch per class with its count, no data, marks, hazard zones), the sample notice, notes and
the regions ranked (geo.export.render)."""
from __future__ import annotations

import math

from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from geo.export.draw import (
    HATCHES,
    HAZARD_HATCH,
    PNG_SIZE,
    SAMPLE_RED,
    ZONE_ALPHA,
    RenderInfo,
    wrap_text,
    zone_color,
)
from geo.export.mapdata import MapData
from geo.export.text import num, short_name, tr
from geo.hazards import types as ht


class Layout:
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


def draw_panel(fig, lay: Layout, data: MapData, entries, extra, info: RenderInfo, text,
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
    head_t = text(px, top, wrap_text(head, (col_w if lay.kind == "side" else 2 * col_w) - 0.1,
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
        wrapped = wrap_text(body, nw - 0.1, lay.note_pt, weight == "bold")
        text(nx, ny, wrapped, fontsize=lay.note_pt, va="top", ha="left", color=color,
             fontweight=weight)
        ny -= (wrapped.count("\n") + 1) * lay.note_pt * 1.3 / 72 + 0.12 * lay.s
    if list_x is None:
        list_x, list_y, list_w = nx, ny - 0.1 * lay.s, nw
    _ranked_list(data, lay, text, list_x, list_y, list_w, list_y - py)


def _ranked_list(data: MapData, lay: Layout, text, x: float, y: float, width: float,
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
