"""Hazard-exposure indicators (issue 13): their ids, their definitions and their sums.

Per InaRISK hazard type (geo.hazards.types) and for "semua" (highest over all types):
Posyandu, balita sasaran and kader in each class, and the share of Posyandu in tinggi.
The definitions are registered in geo.indicators.registry.INDICATORS for every type; geo.indicators.registry
.aggregate adds the sums of ``hazard_sums`` only for the types present in the hazard data.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from geo.hazards import types as ht
from geo.indicators.definition import Indicator

HAZARD_MEASURES = {"posyandu": ("Posyandu", "Posyandu"),
                   "balita": ("Balita sasaran", "Target under-fives"),
                   "kader": ("Kader", "Kader")}
_KELAS_EN = {"rendah": "low", "sedang": "medium", "tinggi": "high"}


def hazard_indicator_id(hazard_type: str, measure: str = "posyandu", kelas: str = "tinggi") -> str:
    return f"bahaya_{hazard_type}_{measure}_{kelas}"


def hazard_share_id(hazard_type: str) -> str:
    return f"bahaya_{hazard_type}_tinggi_pct"


def hazard_definitions() -> list[Indicator]:
    """Every hazard-exposure indicator, for every hazard type and "semua"."""
    out = []
    for t in (*ht.ORDER, ht.ALL):
        lid = "semua bahaya" if t == ht.ALL else ht.label(t, "id").lower()
        len_ = "any hazard" if t == ht.ALL else ht.label(t, "en").lower()
        for measure, (mid, men) in HAZARD_MEASURES.items():
            for kelas in ht.KELAS:
                out.append(Indicator(
                    hazard_indicator_id(t, measure, kelas),
                    f"{mid} di zona {kelas} ({lid})", f"{men} in {_KELAS_EN[kelas]} zones ({len_})",
                    mid.lower() if measure != "posyandu" else "Posyandu",
                    men.lower() if measure != "posyandu" else "Posyandu", True,
                    f"{mid.lower()} pada Posyandu di zona {kelas} {lid}", None, "registri",
                    decimals=0))
        out.append(Indicator(hazard_share_id(t), f"Posyandu di zona tinggi ({lid}, %)",
                             f"Posyandu in high zones ({len_}, %)", "%", "%", True,
                             f"Posyandu di zona tinggi {lid}", "Posyandu", "registri",
                             scale=100.0))
    return out


def hazard_sums(joined: pd.DataFrame, post: np.ndarray, size: int,
                classes: pd.DataFrame) -> dict[tuple[str, str], np.ndarray]:
    """Numerator and denominator sums per code of the hazard-exposure indicators of the
    types present in ``classes`` (geo.hazards.exposure.classify_posyandu) and of "semua"."""
    from geo.hazards.exposure import per_code, ranks_of
    types, ranks = ranks_of(classes.reindex(joined.index))
    sums = per_code(joined, ranks, post, size)        # (type+1, class 0-3, measure, code)
    out = {}
    for j, t in enumerate([*types, ht.ALL]):
        for m, measure in enumerate(HAZARD_MEASURES):
            for r, kelas in enumerate(ht.KELAS, start=1):
                out[(hazard_indicator_id(t, measure, kelas), "num")] = sums[j, r, m]
        out[(hazard_share_id(t), "num")] = sums[j, 3, 0]
        out[(hazard_share_id(t), "den")] = sums[j, :, 0].sum(axis=0)
    return out
