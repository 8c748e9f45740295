"""Several periods on one map (issue 26): the split view (two periods side by side, one
class scheme) and the timeline (every period, stepped through in the browser, classes
fixed across periods). Both are drawn by static/vendor/_project/peta-map.js inside the one
mounted map (components.map.frame): the split view as a second Leaflet map in the right
half of the same iframe, synced with the first; the timeline as a slider and play/pause
that recolour the regions from the colours of every period sent with the view."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from components.i18n import pick
from components.map.view import Choropleth
from geo.indicators.definition import Indicator
from geo.stats import classify as geo_classify

TEXT = {
    "split_title": ("{title} — {left} | {right}", "{title} — {left} | {right}"),
    "timeline_title": ("{title} — lini waktu {first}–{last}",
                       "{title} — timeline {first}–{last}"),
    "split_rule": ("Kiri {left}, kanan {right}; satu skema kelas untuk kedua peta; geser atau "
                   "perbesar salah satu, yang lain ikut.",
                   "Left {left}, right {right}; one class scheme for both maps; pan or zoom "
                   "one and the other follows."),
    "timeline_rule": ("Kelas tetap untuk semua periode ({n}), jadi warna dapat dibandingkan; "
                      "▶ memutar, penggeser memilih periode.",
                      "Classes fixed across all {n} periods, so colours compare; ▶ plays, "
                      "the slider picks a period."),
    "need_compare": ("Pilih survei pembanding untuk peta berdampingan.",
                     "Choose a survey to compare with for the side-by-side maps."),
    "need_periods": ("Lini waktu butuh minimal dua periode dengan nilai.",
                     "A timeline needs at least two periods with values."),
}


def text(key: str, **values) -> str:
    return pick(TEXT[key], **values)


@dataclass
class Periods:
    main: Choropleth                 # the map's own layer (split: the left period)
    classification: geo_classify.Classification
    colors: list[str]
    counts: list[str]                # per class then no data, e.g. "3 | 5" for a split
    split: tuple[str, str, Choropleth] | None = None
    timeline: tuple[list[str], list[Choropleth], int] | None = None


def _shared(ind: Indicator, frames: list[pd.DataFrame], method: str
            ) -> tuple[geo_classify.Classification, list[str]]:
    """One class scheme over every period's values (WHO bins stay fixed)."""
    values = pd.concat([f["value"] for f in frames], ignore_index=True)
    cls = geo_classify.classify(values, ind, method=method)
    return cls, geo_classify.colors_for(ind, len(cls.labels_id))


def _counts(cls, layer: gpd.GeoDataFrame, vals: pd.DataFrame) -> list[int]:
    idx = pd.Series(cls.class_of(layer["code"].map(vals.set_index("code")["value"])
                                 .to_numpy(dtype=float)))
    return list(idx.value_counts().reindex(list(range(len(cls.labels_id))) + [-1],
                                           fill_value=0).astype(int))


def split_view(ind: Indicator, layer: gpd.GeoDataFrame, left: str, right: str,
               values_of: Callable[[str], pd.DataFrame], method: str, lang: str) -> Periods:
    """``left`` (the earlier period) in the map, ``right`` beside it, one class scheme."""
    lv, rv = values_of(left), values_of(right)
    cls, colors = _shared(ind, [lv, rv], method)
    make = lambda v: Choropleth(layer=layer, values=v, indicator=ind,  # noqa: E731
                                classification=cls, colors=colors, lang=lang)
    counts = [f"{a} | {b}" for a, b in zip(_counts(cls, layer, lv), _counts(cls, layer, rv))]
    return Periods(main=make(lv), classification=cls, colors=colors, counts=counts,
                   split=(left, right, make(rv)))


def timeline_view(ind: Indicator, layer: gpd.GeoDataFrame, periods: list[str], start: str,
                  values_of: Callable[[str], pd.DataFrame], method: str, lang: str) -> Periods:
    """Every period of ``periods`` (oldest first) with one class scheme; ``start`` shown
    first."""
    frames = [values_of(p) for p in periods]
    cls, colors = _shared(ind, frames, method)
    views = [Choropleth(layer=layer, values=v, indicator=ind, classification=cls,
                        colors=colors, lang=lang) for v in frames]
    i = periods.index(start) if start in periods else len(periods) - 1
    return Periods(main=views[i], classification=cls, colors=colors,
                   counts=[str(c) for c in _counts(cls, layer, frames[i])],
                   timeline=(list(periods), views, i))
