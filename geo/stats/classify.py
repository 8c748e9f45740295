"""Class breaks for choropleths (numbers and labels; colours are plain hex lists).

* Stunting (indicators with ``fixed_bins``) always uses the WHO–UNICEF prevalence bins
  < 2.5, 2.5–< 10, 10–< 20, 20–< 30, ≥ 30 %, so maps of different years compare.
* Other indicators: Fisher–Jenks natural breaks (jenkspy, exact, in C) or quantiles
  (numpy), k reduced when there are fewer distinct values. Above FISHER_JENKS_EXACT_MAX
  values the breaks are computed on evenly spaced order statistics of the values (the
  same for every visitor and every export; mapclassify's sampled variant drew a random
  sample on each call, and importing mapclassify cost ~3 s of a server start: SciPy,
  scikit-learn, matplotlib).
* Colours: ColorBrewer sequential ramps; darker = worse. The 3–5 class palettes (the
  ones maps use: at most MAX_CLASSES classes) are sampled from the continuous ramps at
  positions chosen so that adjacent classes stay at least MIN_ADJACENT_DELTA_E apart
  (CAM02-UCS) for normal vision, simulated deuteranopia, protanopia and tritanopia, and
  on a washed-out projector (30 % towards white), tests/unit/test_palettes_cvd.py.
"""
from __future__ import annotations

from dataclasses import dataclass

import jenkspy
import numpy as np
import pandas as pd

from geo.indicators.registry import Indicator

NO_DATA_COLOR = "#bdbdbd"
MAX_CLASSES = 5                 # more cannot be told apart by colour-blind viewers
MIN_ADJACENT_DELTA_E = 10.0     # CAM02-UCS distance of adjacent classes (see above)
FISHER_JENKS_EXACT_MAX = 3000   # jenkspy: ~0.04 s for 3,000 values and k = 5
# ColorBrewer 2.0 sequential schemes (Cynthia Brewer, Penn State; Apache 2.0). 3–5 classes:
# sampled from the continuous ramp (ColorBrewer's 9 classes interpolated, as matplotlib
# does) at 0.05, …, 1.0 so that adjacent classes stay MIN_ADJACENT_DELTA_E apart under
# colour blindness and washed-out projection (the 5-class originals fell to 8.3–8.9).
# 6–7 classes: ColorBrewer's own (no map uses more than MAX_CLASSES).
SCHEMES: dict[str, dict[int, list[str]]] = {
    "YlOrRd": {3: ["#fff8bb", "#fc6330", "#800026"],
               4: ["#fff8bb", "#fd903d", "#e1191d", "#800026"],
               5: ["#fff8bb", "#febd57", "#fc6330", "#ca0923", "#800026"],
               6: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"],
               7: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"]},
    "PuBu": {3: ["#f8f1f8", "#4295c3", "#023858"],
             4: ["#f8f1f8", "#88b1d4", "#056faf", "#023858"],
             5: ["#f8f1f8", "#afc1dd", "#4295c3", "#0567a2", "#023858"],
             6: ["#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#2b8cbe", "#045a8d"],
             7: ["#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#3690c0", "#0570b0", "#034e7b"]},
    "Purples": {3: ["#f7f6fa", "#7b74b5", "#3f007d"],
                4: ["#f7f6fa", "#9e9bc8", "#6950a3", "#3f007d"],
                5: ["#f7f6fa", "#aaa8d0", "#7b74b5", "#61409b", "#3f007d"],
                6: ["#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#756bb1", "#54278f"],
                7: ["#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486"]},
}


@dataclass
class Classification:
    bins: list[float]          # upper bounds (the last one = max); fixed bins: thresholds
    labels_id: list[str]
    labels_en: list[str]
    method: str
    fixed: bool = False

    def class_of(self, values) -> np.ndarray:
        """Class index of each value; -1 for missing values ("Tidak ada data")."""
        v = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
        out = np.full(len(v), -1, dtype=int)
        ok = ~np.isnan(v)
        if not self.bins:
            return out
        if self.fixed:  # [t0, t1) intervals: 10.0 belongs to "10–<20"
            out[ok] = np.searchsorted(np.asarray(self.bins), v[ok], side="right")
        else:           # upper bounds inclusive (Fisher–Jenks and quantile breaks)
            out[ok] = np.minimum(np.searchsorted(np.asarray(self.bins), v[ok], side="left"),
                                 len(self.bins) - 1)
        return out


def _num(x: float, decimals: int, lang: str) -> str:
    text = f"{x:,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def _fixed(ind: Indicator) -> Classification:
    t = list(ind.fixed_bins)
    labels = {}
    for lang in ("id", "en"):
        n = lambda x: _num(x, 1 if x % 1 else 0, lang)  # noqa: E731
        labels[lang] = ([f"< {n(t[0])} %"]
                        + [f"{n(a)}–<{n(b)} %" for a, b in zip(t[:-1], t[1:])]
                        + [f"≥ {n(t[-1])} %"])
    return Classification(bins=t, labels_id=labels["id"], labels_en=labels["en"],
                          method="who_unicef", fixed=True)


def classify(values: pd.Series, indicator: Indicator, method: str = "fisher_jenks",
             k: int = 5) -> Classification:
    if indicator.fixed_bins:
        return _fixed(indicator)
    v = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    v = v[np.isfinite(v)]
    unique = np.unique(v)
    if len(unique) == 0:
        return Classification([], [], [], method)
    k = max(1, min(k, MAX_CLASSES, len(unique)))
    if k == 1:
        bins = [float(unique[-1])]
    elif method == "quantiles":
        bins = list(np.quantile(v, np.linspace(1 / k, 1, k)))
    else:
        if len(v) > FISHER_JENKS_EXACT_MAX:
            ordered = np.sort(v)
            v_fit = ordered[np.linspace(0, len(v) - 1, FISHER_JENKS_EXACT_MAX).round().astype(int)]
        else:
            v_fit = v
        bins = list(jenkspy.jenks_breaks(v_fit, n_classes=k)[1:])
    bins = sorted(set(float(b) for b in bins))
    d = indicator.decimals
    step = 10.0 ** -d  # a class starts one displayed unit above the previous upper bound
    labels = {}
    for lang in ("id", "en"):
        # "2,96" then "2,97–3,39"; counts: "1–2" then "3–4".
        lows = [float(v.min())] + [round(b, d) + step for b in bins[:-1]]
        labels[lang] = [_num(hi, d, lang) if round(lo, d) >= round(hi, d)
                        else f"{_num(lo, d, lang)}–{_num(hi, d, lang)}"
                        for lo, hi in zip(lows, bins)]
    return Classification(bins=bins, labels_id=labels["id"], labels_en=labels["en"],
                          method=method)


def scheme_for(indicator: Indicator) -> str:
    """Scheme name: red for 'higher is worse' (stunting, no internet), purple for hazard
    exposure (hazard zones are drawn in oranges over it), blue otherwise."""
    if indicator.id.startswith("posyandu_bahaya"):
        return "Purples"
    if indicator.higher_is_worse:
        return "YlOrRd"
    return "PuBu"


def colors_for(indicator: Indicator, k: int) -> list[str]:
    """k colours, light to dark. Rates: darker = worse (reversed when higher is better, so
    few kader per Posyandu is dark). Counts (Posyandu, population): darker = more."""
    if k <= 0:
        return []
    scheme = SCHEMES[scheme_for(indicator)]
    if k < 3:  # ColorBrewer starts at 3 classes: its ends for 2, its middle for 1
        colors = [scheme[3][0], scheme[3][2]] if k == 2 else [scheme[3][1]]
    else:
        colors = scheme[min(k, 7)]
    reverse = indicator.is_rate and not indicator.higher_is_worse
    return list(reversed(colors)) if reverse else list(colors)
