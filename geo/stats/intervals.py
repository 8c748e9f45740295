"""Honest uncertainty of proportions (issue 26): Wilson 95 % intervals, relative standard
errors and the BPS reliability classes.

* A registry-derived proportion p = x / n (stunting among children weighed, Posyandu
  without internet among those whose status is known, …) gets the **Wilson score
  interval** at 95 %::

      centre = (p + z²/2n) / (1 + z²/n),  half = z √(p(1−p)/n + z²/4n²) / (1 + z²/n)

  (z = 1.959964). Unlike p ± z·SE it never leaves [0, 1] and stays meaningful for 0 of 5.
* **RSE** (relative standard error, %) = 100 · √(p(1−p)/n) / p; undefined (NaN) when p = 0.
* **BPS rule** for estimates: RSE ≤ 25 % *akurat*; 25–50 % *hati-hati* (use with caution);
  > 50 % — or a denominator below the minimum (``unstable``, default 20) — *tidak akurat*.
  A proportion of 0 with a large enough denominator has no RSE and gets no class.
* Published survey values carry the interval their source publishes; the data directory's
  sources publish none, so they get NaN and the note ``interval tidak dipublikasikan`` —
  never an interval invented from a guessed sample size.

Intervals are stored in the indicator's own unit (percent for a share in %), RSE in percent.
"""
from __future__ import annotations

import numpy as np

from geo.indicators.definition import DEFAULT_MIN_DENOMINATOR, Indicator

Z95 = 1.959963984540054            # standard normal quantile 0.975

RSE_CAUTION = 25.0                 # BPS: RSE above this is "hati-hati"
RSE_UNRELIABLE = 50.0              # BPS: RSE above this is "tidak akurat"

AKURAT, HATI_HATI, TIDAK_AKURAT = "akurat", "hati-hati", "tidak akurat"
RELIABILITY = (AKURAT, HATI_HATI, TIDAK_AKURAT)
RELIABILITY_EN = {AKURAT: "accurate", HATI_HATI: "use with caution", TIDAK_AKURAT: "not accurate"}

CI_WILSON = "Wilson 95%"                               # interval computed from x and n
CI_NOT_PUBLISHED = "interval tidak dipublikasikan"     # a published value without one
CI_NOTES = (CI_WILSON, CI_NOT_PUBLISHED)
CI_NOTES_EN = {CI_WILSON: "Wilson 95%", CI_NOT_PUBLISHED: "interval not published"}

INTERVAL_COLUMNS = ["ci_low", "ci_high", "rse", "ci_note"]


def is_proportion(ind: Indicator) -> bool:
    """True for an indicator that is a share x / n of countable things in percent (its
    numerator is a part of its denominator), so a binomial interval applies. Ratios such
    as kader per Posyandu or kader per 1,000 balita are not proportions."""
    return ind.is_rate and ind.unit_id == "%" and ind.scale == 100.0


def wilson(numerator, denominator, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (low, high) of x / n as proportions in [0, 1]; NaN where
    n ≤ 0 or either is missing. ``numerator`` is clipped to [0, n]."""
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    ok = np.isfinite(x) & np.isfinite(n) & (n > 0)
    n_safe = np.where(ok, n, 1.0)
    p = np.clip(np.where(ok, x, 0.0) / n_safe, 0.0, 1.0)
    z2 = z * z
    denom = 1.0 + z2 / n_safe
    centre = (p + z2 / (2 * n_safe)) / denom
    half = z * np.sqrt(p * (1 - p) / n_safe + z2 / (4 * n_safe * n_safe)) / denom
    # exact ends at p = 0 and p = 1 (the formula gives them up to rounding)
    low = np.where(ok, np.where(p <= 0, 0.0, np.clip(centre - half, 0.0, 1.0)), np.nan)
    high = np.where(ok, np.where(p >= 1, 1.0, np.clip(centre + half, 0.0, 1.0)), np.nan)
    return low, high


def rse(numerator, denominator) -> np.ndarray:
    """Relative standard error in percent, 100 · √(p(1−p)/n) / p; NaN when p = 0 or n ≤ 0."""
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.clip(x / n, 0.0, 1.0)
        out = 100.0 * np.sqrt(p * (1 - p) / n) / p
    return np.where(np.isfinite(x) & np.isfinite(n) & (n > 0) & (p > 0), out, np.nan)


def reliability(rse_pct, denominator=None, min_denominator: float = DEFAULT_MIN_DENOMINATOR,
                unstable=None) -> np.ndarray:
    """BPS class of each estimate ("akurat", "hati-hati", "tidak akurat"; "" = no class:
    no RSE — not a proportion, a published value, or p = 0 on a large enough denominator).
    Too small a denominator is "tidak akurat": ``denominator < min_denominator``, or the
    long table's ``unstable`` flag when given (it used the threshold of its aggregation)."""
    r = np.asarray(rse_pct, dtype=float)
    out = np.full(r.shape, "", dtype=object)
    out[r <= RSE_CAUTION] = AKURAT
    out[(r > RSE_CAUTION) & (r <= RSE_UNRELIABLE)] = HATI_HATI
    out[r > RSE_UNRELIABLE] = TIDAK_AKURAT
    if unstable is not None:
        small = np.asarray(unstable, dtype=bool)
    elif denominator is not None:
        n = np.asarray(denominator, dtype=float)
        small = np.isfinite(n) & (n < min_denominator)
    else:
        small = np.zeros(r.shape, dtype=bool)
    out[small] = TIDAK_AKURAT
    return out


def reliability_label(cls: str, lang: str = "id") -> str:
    return cls if lang == "id" else RELIABILITY_EN.get(cls, cls)


def ci_note_label(note: str, lang: str = "id") -> str:
    return note if lang == "id" else CI_NOTES_EN.get(note, note)


def rule_text(min_denominator: float = DEFAULT_MIN_DENOMINATOR, lang: str = "id") -> str:
    """The BPS rule in one sentence, for legends and notes."""
    d = f"{min_denominator:g}"
    if lang == "id":
        return (f"Keandalan (aturan BPS, RSE): ≤ 25 % akurat; 25–50 % hati-hati (arsir "
                f"jarang); > 50 % atau penyebut < {d} tidak akurat (arsir rapat).")
    return (f"Reliability (BPS rule, RSE): ≤ 25% accurate; 25–50% use with caution (sparse "
            f"hatching); > 50% or denominator < {d} not accurate (dense hatching).")


def interval_columns(ind: Indicator, numerator, denominator
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ci_low, ci_high, rse) of an indicator's rows in its own unit: the Wilson interval
    and RSE for a proportion, NaN for anything else."""
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    if not is_proportion(ind):
        nan = np.full(x.shape, np.nan)
        return nan, nan.copy(), nan.copy()
    low, high = wilson(x, n)
    return ind.scale * low, ind.scale * high, rse(x, n)


HATCH = {"": 0, AKURAT: 0, HATI_HATI: 1, TIDAK_AKURAT: 2}   # map hatching per class


def hatch_levels(ind: Indicator, rse_pct, denominator, unstable=None,
                 min_denominator: float = DEFAULT_MIN_DENOMINATOR) -> np.ndarray:
    """Hatching of each region on a map: 0 none, 1 sparse ("hati-hati", RSE 25–50 %),
    2 dense ("tidak akurat", RSE > 50 % or too small a denominator). Only proportions with
    a numerator and denominator are hatched; a published value (no denominator) never is."""
    r = np.asarray(rse_pct, dtype=float)
    n = np.asarray(denominator, dtype=float)
    if not is_proportion(ind):
        return np.zeros(r.shape, dtype=np.int8)
    cls = reliability(r, n, min_denominator, unstable)
    out = np.array([HATCH[c] for c in cls], dtype=np.int8).reshape(r.shape)
    out[~np.isfinite(n)] = 0
    return out
