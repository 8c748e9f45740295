"""What every exported map picture shares (geo.export.render, geo.export.splitmap): sizes,
colours, what was drawn (``RenderInfo``), the polygons as matplotlib paths, the local
projection and its scale bar length, the neighbouring provinces, the hazard zones' fill and
wrapped text."""
from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

import matplotlib
import numpy as np
import shapely
from matplotlib.collections import PathCollection
from matplotlib.path import Path as MplPath

from geo.hazards import types as ht

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


def draw_context(ax, crs: str, bounds) -> None:
    """Neighbouring provinces in light grey, so a province map is not an island."""
    from geo.regions import display
    provinces = display.display_layer("provinsi", None)
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx), (maxy - miny)
    near = provinces.cx[minx - dx: maxx + dx, miny - dy: maxy + dy]
    if len(near):
        add_polygons(ax, near.to_crs(crs).geometry.values, CONTEXT, BORDER, 0.8, 1)


def zone_color(jenis: str, kelas: str) -> str:
    """Fill of a hazard zone: its type's colour ramp (geo.hazards.types), as on the screen."""
    h = ht.BY_ID.get(str(jenis))
    return h.color(kelas) if h else HAZARD_COLORS.get(kelas, "#999999")


def wrap_text(text: str, width_in: float, pt: float, bold: bool = False) -> str:
    """``text`` broken into lines about ``width_in`` inches wide at ``pt`` points."""
    chars = max(20, int(width_in * 72 / (pt * (0.66 if bold else 0.58))))
    return "\n".join(textwrap.wrap(text, chars))
