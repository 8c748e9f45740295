"""What a map and its table say about the uncertainty of a value (issue 26): the 95 %
interval and RSE of a registry proportion, its BPS reliability class as hatching, the
number of children or Posyandu concerned beside the rate, and the rule in the legend.
The numbers come from geo.stats.intervals; this module only words and styles them."""
from __future__ import annotations

import numpy as np
import pandas as pd

from components.i18n import fmt_number, lang, pick, t
from geo.indicators.definition import DEFAULT_MIN_DENOMINATOR, Indicator
from geo.stats import intervals

TEXT = {
    "interval": ("Selang 95 %", "95% interval"),
    "burden": ("Jumlah", "Count"),
    "burden_of": ("{x} dari {n}", "{x} of {n}"),
    "rse": ("RSE {r} %", "RSE {r}%"),
    "rse_undefined": ("RSE tak terdefinisi (nilai 0)", "RSE undefined (value 0)"),
    "hatch_caution": ("Arsir jarang: hati-hati (RSE 25–50 %)",
                      "Sparse hatching: use with caution (RSE 25–50%)"),
    "hatch_unreliable": ("Arsir rapat: tidak akurat (RSE > 50 % atau penyebut < {d})",
                         "Dense hatching: not accurate (RSE > 50% or denominator < {d})"),
    "col_ci_low": ("Batas bawah 95 %", "95% lower bound"),
    "col_ci_high": ("Batas atas 95 %", "95% upper bound"),
    "col_rse": ("RSE (%)", "RSE (%)"),
    "col_reliability": ("Keandalan (BPS)", "Reliability (BPS)"),
    "col_rank_range": ("Rentang peringkat (95 %)", "Rank range (95%)"),
    "tied": ("setara secara statistik: peringkat {span} dari {n}",
             "statistically tied: rank {span} of {n}"),
}
# Burden words per indicator: what the numerator counts.
BURDEN_NOUN = {
    "stunting_registri": ("balita stunting dari {n} ditimbang",
                          "stunted children of {n} weighed"),
    "tanpa_internet_pct": ("Posyandu tanpa internet dari {n}", "Posyandu offline of {n}"),
    "kader_terlatih_pct": ("kader terlatih dari {n}", "trained kader of {n}"),
}

# Legend swatches (CSS) and the SVG patterns of static/vendor/_project/peta-map.js agree:
# sparse = one line every 8 px, dense = one every 4 px, dark grey at 45°.
HATCH_CSS = {1: "background:repeating-linear-gradient(45deg,#222 0 1.5px,transparent 1.5px 8px)"
                ";border:1px solid #555",
             2: "background:repeating-linear-gradient(45deg,#222 0 1.5px,transparent 1.5px 4px)"
                ";border:1px solid #555"}


def text(key: str, **values) -> str:
    return pick(TEXT[key], **values)


def hatching(ind: Indicator, vals: pd.DataFrame) -> pd.Series:
    """0/1/2 hatching per row of ``vals`` (code, rse, denominator, unstable)."""
    if "rse" not in vals or "denominator" not in vals:
        return pd.Series(0, index=vals.index, dtype="int8")
    unstable = vals["unstable"].fillna(False).to_numpy(dtype=bool) if "unstable" in vals else None
    return pd.Series(intervals.hatch_levels(ind, vals["rse"], vals["denominator"], unstable),
                     index=vals.index)


def reliability_words(ind: Indicator, vals: pd.DataFrame) -> list[str]:
    """The BPS class of each row in words ('' where the value has none)."""
    if not intervals.is_proportion(ind) or "rse" not in vals:
        return [""] * len(vals)
    unstable = vals["unstable"].fillna(False).to_numpy(dtype=bool) if "unstable" in vals else None
    cls = intervals.reliability(vals["rse"], vals.get("denominator"), unstable=unstable)
    has = vals["value"].notna().to_numpy() if "value" in vals else np.ones(len(vals), bool)
    return [intervals.reliability_label(c, lang()) if h else "" for c, h in zip(cls, has)]


def interval_text(ind: Indicator, low, high, rse, hatch: int) -> str:
    """'20,6–37,2 % · RSE 15,2 % (akurat)' ('' when the value has no interval)."""
    if not intervals.is_proportion(ind) or pd.isna(low) or pd.isna(high):
        return ""
    d = ind.decimals
    span = f"{fmt_number(float(low), d)}–{fmt_number(float(high), d)} {ind.unit(lang())}"
    cls = {0: intervals.AKURAT, 1: intervals.HATI_HATI, 2: intervals.TIDAK_AKURAT}[int(hatch)]
    word = intervals.reliability_label(cls, lang())
    r = text("rse_undefined") if pd.isna(rse) else text("rse", r=fmt_number(float(rse), 1))
    if pd.isna(rse) and int(hatch) == 0:
        return f"{span} · {r}"
    return f"{span} · {r} ({word})"


def burden_text(ind: Indicator, numerator, denominator) -> str:
    """'31 balita stunting dari 110 ditimbang': the count behind a rate ('' for counts)."""
    if not ind.is_rate or pd.isna(numerator) or pd.isna(denominator):
        return ""
    x = fmt_number(float(numerator), 0)
    n = fmt_number(float(denominator), 0)
    noun = BURDEN_NOUN.get(ind.id)
    if noun:
        return f"{x} {pick(noun, n=n)}"
    return text("burden_of", x=x, n=n)


def legend_entries(ind: Indicator) -> list[tuple[str, str]]:
    """Legend rows for the hatching of a map of ``ind`` (none when it cannot be hatched)."""
    if not intervals.is_proportion(ind):
        return []
    return [(HATCH_CSS[1], text("hatch_caution")),
            (HATCH_CSS[2], text("hatch_unreliable", d=f"{DEFAULT_MIN_DENOMINATOR:g}"))]


def rule_caption() -> str:
    return intervals.rule_text(DEFAULT_MIN_DENOMINATOR, lang())


def rank_range_text(low, high) -> str:
    """'3–7' (or '3' when the interval allows one rank only; '' without a range)."""
    if pd.isna(low) or pd.isna(high):
        return ""
    return str(int(low)) if int(low) == int(high) else f"{int(low)}–{int(high)}"


def rank_text(rank, of, low=None, high=None) -> str:
    """'peringkat 7 dari 18 · setara secara statistik: peringkat 3–9 dari 18'."""
    if pd.isna(rank) or pd.isna(of):
        return "–"
    base = t("rank_k_of_n", k=int(rank), n=int(of))
    if low is None or high is None or pd.isna(low) or pd.isna(high) or int(low) == int(high):
        return base
    return f"{base} · {text('tied', span=rank_range_text(low, high), n=int(of))}"
