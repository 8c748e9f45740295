"""Trend chart of a region's published stunting values, with the national line and the
policy targets (14 % by 2024, Perpres 72/2021; 14.2 % by 2029, RPJMN 2025–2029)."""
from __future__ import annotations

import io
import textwrap

import pandas as pd
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from geo.codes import level_of, parent_code
from geo.export.mapdata import period_order, region_name
from geo.export.text import num
from geo.indicators import published
from geo.indicators import registry as indicators

TARGETS = ((2024, 14.0, "Perpres 72/2021"), (2029, 14.2, "RPJMN 2025–2029"))
WORDS = {
    "id": {"national": "Nasional", "target": "Target {year}: {value} % ({basis})",
           "y": "Prevalensi stunting (%)", "caveat":
           "SSGI 2021–2022 memakai batas Papua lama (sebelum pemekaran 2022): nilai {name} "
           "tahun itu mencakup wilayah yang kini provinsi lain.",
           "caveat_new": "{name} baru dibentuk 2022: belum ada nilai sebelum SKI 2023."},
    "en": {"national": "National", "target": "Target {year}: {value} % ({basis})",
           "y": "Stunting prevalence (%)", "caveat":
           "SSGI 2021–2022 use the old Papua geography (before the 2022 split): {name}'s "
           "values of those years cover areas that are other provinces today.",
           "caveat_new": "{name} was created in 2022: no values before SKI 2023."},
}


def series(long: pd.DataFrame, code: str, indicator: str = "stunting") -> pd.DataFrame:
    """period, year, value of one region's published values, oldest first (one value per
    year: the survey, not a 'reported' statement, when both exist)."""
    if not code:
        return published.national_series(indicator)
    rows = indicators.values(long, indicator, level_of(code))
    rows = rows.loc[rows["code"] == code, ["period", "value"]]
    rows = rows.assign(year=[period_order(p)[0] for p in rows["period"]])
    rows = rows.sort_values("period", key=lambda s: s.map(period_order))
    return rows.drop_duplicates("year", keep="last")[["period", "year", "value"]] \
        .reset_index(drop=True)


def caveat(code: str, lang: str = "id") -> str | None:
    """The old-Papua geography caveat for the Papua provinces (and their kabupaten)."""
    prov = code.split(".")[0] if code else ""
    if prov in published.PAPUA_OLD:
        return WORDS[lang]["caveat"].format(name=region_name(prov))
    if prov in published.PAPUA_NEW:
        return WORDS[lang]["caveat_new"].format(name=region_name(prov))
    return None


def _figure(long: pd.DataFrame, code: str, lang: str, size: tuple[float, float], dpi: int,
            narrow: bool = False) -> tuple[Figure, dict]:
    """The trend chart (the meeting pack's picture and the dashboard's chart) and what it
    shows (the series, the caveat); ``narrow``: for a phone, legend and caveat below."""
    words = WORDS[lang]
    fig = Figure(figsize=size, dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    # narrow (a phone): the legend and the caveat below the axes, not beside them
    ax = fig.add_axes((0.15, 0.32, 0.8, 0.64) if narrow else (0.08, 0.1, 0.64, 0.84))
    lines = {}

    def draw(frame: pd.DataFrame, label: str, **style) -> None:
        if frame.empty:     # no survey value for this region: no line, no legend entry
            return
        # a long name in two lines beside the axes (the legend stays inside the picture)
        ax.plot(frame["year"], frame["value"], label=label if narrow else
                "\n".join(textwrap.wrap(label, 20)), **style)
        lines[label] = frame

    draw(series(long, ""), words["national"], color="#555555", marker="o", lw=2)
    if code:
        parent = parent_code(code)
        if parent:
            ps = series(long, parent)
            if len(ps):
                draw(ps, region_name(parent), color="#fd8d3c", marker="s", lw=2)
        own = series(long, code)
        draw(own, region_name(code), color="#bd0026", marker="o", lw=3)
        for x, y in zip(own["year"], own["value"]):
            ax.annotate(num(y, 1, lang), (x, y), textcoords="offset points", xytext=(7, 5),
                        ha="left", fontsize=10, fontweight="bold", color="#bd0026")
    for year, value, basis in TARGETS:
        label = words["target"].format(year=year, value=num(value, 1 if value % 1 else 0, lang),
                                       basis=basis)
        ax.hlines(value, 2020.6, year, colors="#2171b5", linestyles="dashed", lw=1.2)
        ax.plot([year], [value], marker="*", markersize=14, color="#2171b5")
        ax.annotate(label, (year, value), textcoords="offset points",
                    xytext=(0, -16 if year == 2024 else 10), ha="right" if year == 2029 else "center",
                    fontsize=9, color="#2171b5")
    values = pd.concat([s["value"] for s in lines.values()] + [pd.Series([14.0])])
    ax.set_ylim(max(0, values.min() - 4), values.max() + 4)
    ax.set_xlim(2020.6, 2029.4)
    ax.set_xticks(range(2021, 2030, 2 if narrow else 1))
    ax.set_ylabel(words["y"])
    ax.yaxis.set_major_formatter(FuncFormatter(
        lambda v, _pos: num(v, 0 if float(v).is_integer() else 1, lang)))
    ax.grid(axis="y", color="#dddddd")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if narrow:
        ax.legend(loc="upper left", bbox_to_anchor=(-0.15, -0.12), frameon=False, fontsize=10)
    else:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=10)
    note = caveat(code, lang)
    if note:
        fig.text(*((0.02, 0.01) if narrow else (0.74, 0.2)),
                 "\n".join(textwrap.wrap(note, 46 if narrow else 34)), fontsize=9,
                 color="#8a4b00", va="bottom")
    meta = {"lines": {k: v.to_dict("records") for k, v in lines.items()}, "caveat": note}
    return fig, meta


def trend_png(long: pd.DataFrame, code: str, lang: str = "id", size=(8.0, 4.6),
              dpi: int = 150) -> tuple[bytes, dict]:
    """PNG of the trend chart and what it shows (the series, the caveat)."""
    fig, meta = _figure(long, code, lang, size, dpi)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue(), meta


def trend_svg(long: pd.DataFrame, code: str, lang: str = "id",
              narrow: bool = False) -> tuple[str, dict]:
    """The same chart as an SVG document (text kept as text, no date in it: the same data
    give the same bytes), drawn at any size by the browser; ``narrow`` for a phone."""
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "pp-trend"}):
        fig, meta = _figure(long, code, lang, (4.2, 5.0) if narrow else (8.0, 4.6), 72,
                            narrow=narrow)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue(), meta
