"""Posyandu transformation indicators (Permendagri 13/2024): the share of Posyandu offering
each of the six SPM services (and all six), and the Posyandu per strata (Pratama, Madya,
Purnama, Mandiri) with the share in Purnama or Mandiri. Defined here, registered in
geo.indicators.registry.INDICATORS, summed per code for geo.indicators.registry.aggregate.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from geo.indicators.definition import Indicator

SPM_FIELDS = ("kesehatan", "pendidikan", "pekerjaan_umum", "perumahan", "trantibumlinmas",
              "sosial")
SPM_LABELS = {"kesehatan": ("kesehatan", "health"), "pendidikan": ("pendidikan", "education"),
              "pekerjaan_umum": ("pekerjaan umum", "public works"),
              "perumahan": ("perumahan rakyat", "public housing"),
              "trantibumlinmas": ("trantibumlinmas", "public order and safety"),
              "sosial": ("sosial", "social affairs")}
SPM_INDICATORS = tuple(f"layanan_{f}_pct" for f in SPM_FIELDS)
SPM_ALL = "layanan_semua_pct"
STRATA_LEVELS = ("Pratama", "Madya", "Purnama", "Mandiri")
STRATA_INDICATORS = tuple(f"strata_{s.lower()}" for s in STRATA_LEVELS)
STRATA_TOP = "strata_purnama_mandiri_pct"


def transformation_definitions() -> list[Indicator]:
    """The SPM service and strata indicators, in registry order."""
    return [
        *(Indicator(f"layanan_{f}_pct", f"Posyandu dengan layanan bidang {SPM_LABELS[f][0]}",
                    f"Posyandu offering {SPM_LABELS[f][1]} services", "%", "%", False,
                    f"Posyandu dengan layanan_{f} = ya", f"Posyandu dengan layanan_{f} terisi",
                    "registri", scale=100.0) for f in SPM_FIELDS),
        Indicator(SPM_ALL, "Posyandu dengan keenam layanan SPM", "Posyandu offering all six SPM "
                  "services", "%", "%", False, "Posyandu dengan keenam layanan = ya",
                  "Posyandu dengan keenam layanan terisi", "registri", scale=100.0),
        *(Indicator(f"strata_{s.lower()}", f"Posyandu strata {s}", f"Posyandu of stratum {s}",
                    "Posyandu", "Posyandu", False, f"Posyandu dengan strata {s}", None, "registri",
                    decimals=0) for s in STRATA_LEVELS),
        Indicator(STRATA_TOP, "Posyandu strata Purnama dan Mandiri",
                  "Posyandu of stratum Purnama or Mandiri", "%", "%", False,
                  "Posyandu strata Purnama atau Mandiri", "Posyandu dengan strata terisi",
                  "registri", scale=100.0),
    ]


def transformation_sums(joined: pd.DataFrame, post: np.ndarray, size: int
                        ) -> dict[tuple[str, str], np.ndarray]:
    """Numerator and denominator sums per code of the SPM service and strata indicators:
    a share counts only the Posyandu whose value is filled in."""
    n = len(joined)

    def total(weights):
        return np.bincount(post, weights, minlength=size).astype(float)

    sums: dict[tuple[str, str], np.ndarray] = {}
    all_yes, all_known = np.ones(n, dtype=bool), np.ones(n, dtype=bool)
    for f, ind_id in zip(SPM_FIELDS, SPM_INDICATORS):
        col = f"layanan_{f}"
        if col not in joined:
            values = np.full(n, np.nan)
        else:
            flags = joined[col]
            if not isinstance(flags.dtype, pd.BooleanDtype):
                flags = flags.astype("boolean")
            values = flags.to_numpy(dtype=float, na_value=np.nan)
        known = ~np.isnan(values)
        sums[(ind_id, "num")] = total(values == 1)
        sums[(ind_id, "den")] = total(known)
        all_yes &= values == 1
        all_known &= known
    sums[(SPM_ALL, "num")] = total(all_yes)
    sums[(SPM_ALL, "den")] = total(all_known)
    if "strata" in joined:   # factorize once, then look the few distinct values up
        codes, uniques = pd.factorize(joined["strata"])
        lookup = np.append(pd.Index(list(STRATA_LEVELS)).get_indexer(
            pd.Index(uniques).astype(object)), -1)
        strata = lookup[codes]          # code -1 (missing) → the appended -1
    else:
        strata = np.full(n, -1, dtype=np.int8)
    for k, ind_id in enumerate(STRATA_INDICATORS):
        sums[(ind_id, "num")] = total(strata == k)
    sums[(STRATA_TOP, "num")] = total(strata >= 2)
    sums[(STRATA_TOP, "den")] = total(strata >= 0)
    return sums
