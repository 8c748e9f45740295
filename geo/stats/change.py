"""Change between two periods (issue 26): the change map's values, classes and colours.

* ``change = value(period) − value(compare)``, in percentage points for a percentage (the
  indicator's own unit otherwise), over the regions with a comparable value in both periods
  — the same rule as the ranking's comparison (geo.stats.ranking.rank_table): a province
  whose geography changed with the 2022 Papua split is **not comparable**, nor is a region
  with a value in one period only. Each not-comparable region carries its reason.
* Classes are symmetric around 0 (a diverging palette, ColorBrewer RdBu, 7 classes):
  "tetap" (|change| < 0.5 pp) in the middle, then [0.5, 2), [2, 5) and ≥ 5 pp on each side.
  Where higher is worse (stunting), a fall is *membaik* (blue) and a rise *memburuk* (red);
  where higher is better, the reverse.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.indicators import registry as indicators
from geo.indicators.definition import Indicator
from geo.stats import classify as geo_classify
from geo.stats import ranking

PP_BREAKS = (0.5, 2.0, 5.0)       # |change| thresholds, percentage points
# ColorBrewer RdBu, 7 classes (Cynthia Brewer, Apache 2.0), blue → red
RDBU7 = ["#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"]
NOT_COMPARABLE_COLOR = "#c2a5cf"  # not grey: "no data" is grey; this is "not comparable"
NOT_COMPARABLE = ("tidak dapat dibandingkan", "not comparable")
IMPROVED, WORSENED, STEADY = ("membaik", "improved"), ("memburuk", "worsened"), ("tetap", "steady")
COLUMNS = ["code", "name", "value", "value_prev", "change", "comparable", "reason",
           "reason_short"]
GEOGRAPHY_SHORT = ("batas wilayah berubah (pemekaran Papua 2022)",)


@dataclass
class SymmetricClassification(geo_classify.Classification):
    """Seven classes symmetric around 0: |x| < a "tetap"; [a, b), [b, c), ≥ c on either
    side (a change of exactly −0.5 and of +0.5 are both out of "tetap")."""

    def class_of(self, values) -> np.ndarray:
        v = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
        out = np.full(len(v), -1, dtype=int)
        ok = ~np.isnan(v)
        steps = np.asarray(self.bins[len(self.bins) // 2:])          # a, b, c
        size = np.searchsorted(steps, np.abs(v[ok]), side="right")   # 0 … 3
        out[ok] = 3 + np.sign(v[ok]).astype(int) * size
        return out


@dataclass
class Change:
    indicator: Indicator            # the indicator whose change is drawn
    period: str
    compare: str
    values: pd.DataFrame            # COLUMNS
    classification: geo_classify.Classification
    colors: list[str]

    @property
    def not_comparable(self) -> pd.DataFrame:
        """code, name, reason of the regions drawn as not comparable."""
        v = self.values
        return v.loc[~v["comparable"] & v["reason"].notna(), ["code", "name", "reason"]]


def change_indicator(ind: Indicator) -> Indicator:
    """The change of ``ind`` as an indicator of its own (label and unit for legends)."""
    pp = ind.unit_id == "%"
    return dataclasses.replace(
        ind, id=f"{ind.id}_perubahan", label_id=f"Perubahan {ind.label_id[0].lower()}"
        f"{ind.label_id[1:]}", label_en=f"Change in {ind.label_en[0].lower()}{ind.label_en[1:]}",
        unit_id="poin persen" if pp else ind.unit_id,
        unit_en="percentage points" if pp else ind.unit_en, fixed_bins=None, source=ind.source,
        decimals=max(ind.decimals, 1) if pp else ind.decimals)


def breaks_for(ind: Indicator, changes: pd.Series) -> tuple[float, float, float]:
    """|change| thresholds: 0.5, 2, 5 pp for a percentage; for another unit, round steps
    from the largest change (1/10, 1/3 and 2/3 of it)."""
    if ind.unit_id == "%":
        return PP_BREAKS
    top = float(np.nanmax(np.abs(changes))) if changes.notna().any() else 1.0
    top = top or 1.0
    steps = [top / 10, top / 3, 2 * top / 3]
    return tuple(float(f"{s:.2g}") for s in steps)


def _label(x: float, decimals: int, lang: str) -> str:
    text = f"{x:,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def classification(ind: Indicator, changes: pd.Series) -> tuple[geo_classify.Classification,
                                                                  list[str]]:
    """Seven classes symmetric around 0 and their colours (membaik blue, memburuk red)."""
    a, b, c = breaks_for(ind, changes)
    bins = [-c, -b, -a, a, b, c]
    d = 1 if ind.unit_id == "%" else ind.decimals
    labels = {}
    for k, lang in enumerate(("id", "en")):
        # the unit is in the legend's head (poin persen); labels stay short
        good, bad, steady = IMPROVED[k], WORSENED[k], STEADY[k]
        down, up = (good, bad) if ind.higher_is_worse else (bad, good)
        n = lambda x, lang=lang: _label(x, d, lang)  # noqa: E731
        labels[lang] = [f"< −{n(c)} {down}", f"−{n(c)} – −{n(b)} {down}",
                        f"−{n(b)} – −{n(a)} {down}", f"±{n(a)} {steady}",
                        f"+{n(a)} – +{n(b)} {up}", f"+{n(b)} – +{n(c)} {up}",
                        f"≥ +{n(c)} {up}"]
    colors = list(RDBU7) if ind.higher_is_worse else list(reversed(RDBU7))
    return (SymmetricClassification(bins=bins, labels_id=labels["id"], labels_en=labels["en"],
                                    method="perubahan", fixed=True), colors)


def change_values(long: pd.DataFrame, indicator: str, level: str, period: str, compare: str,
                  parent: str | None = None, names: pd.Series | None = None,
                  universe=None) -> Change:
    """The change of ``indicator`` from ``compare`` to ``period`` for the regions of
    ``level`` (under ``parent``)."""
    ind = indicators.get(indicator)
    table = ranking.rank_table(long, indicator, level, period, compare, parent=parent,
                               names=names, universe=universe)
    change = table["value_change"].astype(float)
    comparable = change.notna()
    # a region with a value in at least one period but no change: drawn as not comparable
    some_value = table["value"].notna() | table["value_prev"].notna()
    reason = table[ranking.NOTE].where(~comparable & some_value)
    values = pd.DataFrame({"code": table["code"], "name": table["name"],
                           "value": table["value"], "value_prev": table["value_prev"],
                           "change": change, "comparable": comparable.to_numpy(),
                           "reason": reason, "reason_short": reason.map(short_reason)})
    cls, colors = classification(ind, change)
    return Change(indicator=ind, period=period, compare=compare,
                  values=values.reset_index(drop=True), classification=cls, colors=colors)


def short_reason(reason) -> str | None:
    """The kind of a not-comparable reason, for grouping regions in a note."""
    if not isinstance(reason, str):
        return None
    if reason.startswith("batas wilayah berubah"):
        return GEOGRAPHY_SHORT[0]
    return reason.split(";")[0].replace(" (provinsi hasil pemekaran 2022)", "")


def classes_of(ch: Change, codes) -> np.ndarray:
    """Class index per code: 0–6, -1 no data, -2 not comparable."""
    v = ch.values.set_index("code")
    codes = pd.Series(list(codes))
    out = ch.classification.class_of(codes.map(v["change"]).to_numpy(dtype=float))
    nc = codes.map(v["reason"]).notna().to_numpy()
    out[nc] = -2
    return out
