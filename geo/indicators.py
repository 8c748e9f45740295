"""Indicator registry and aggregation.

Registry-derived indicators are computed per Posyandu as a numerator and a denominator,
summed per region at every level, and only then divided — rates are never averaged.
A rate whose denominator is below ``min_denominator`` (default 20) is flagged unstable.

Published survey values (geo.published) and registry-derived values share one long shape:

    indicator, code, level, period, value, numerator, denominator, unstable, source
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import published
from .codes import LEVELS

REGISTRY_PERIOD = "Registri"
DEFAULT_MIN_DENOMINATOR = 20
WHO_STUNTING_BINS = (2.5, 10.0, 20.0, 30.0)  # WHO–UNICEF prevalence thresholds (%)
CODE_LENGTH = {"provinsi": 2, "kabupaten": 5, "kecamatan": 8, "desa": 13}  # "62.71.01.1001"
LONG_COLUMNS = ["indicator", "code", "level", "period", "value", "numerator", "denominator",
                "unstable", "source"]


@dataclass(frozen=True)
class Indicator:
    id: str
    label_id: str
    label_en: str
    unit_id: str
    unit_en: str
    higher_is_worse: bool
    numerator: str
    denominator: str | None
    source: str  # "registri" (computed from the Posyandu registry) or "publikasi"
    scale: float = 1.0
    decimals: int = 1
    fixed_bins: tuple[float, ...] | None = None

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    def label(self, lang: str = "id") -> str:
        return self.label_id if lang == "id" else self.label_en

    def unit(self, lang: str = "id") -> str:
        return self.unit_id if lang == "id" else self.unit_en


INDICATORS: dict[str, Indicator] = {i.id: i for i in (
    Indicator("stunting", "Prevalensi stunting (survei)", "Stunting prevalence (survey)",
              "%", "%", True, "balita stunting (survei SSGI/SKI)", None, "publikasi",
              fixed_bins=WHO_STUNTING_BINS),
    Indicator("stunting_registri", "Prevalensi stunting (registri Posyandu)",
              "Stunting prevalence (Posyandu registry)", "%", "%", True,
              "balita_stunting", "balita_ditimbang", "registri", scale=100.0,
              fixed_bins=WHO_STUNTING_BINS),
    Indicator("posyandu", "Jumlah Posyandu", "Number of Posyandu", "Posyandu", "Posyandu",
              False, "Posyandu", None, "registri", decimals=0),
    Indicator("posyandu_per_desa", "Posyandu per desa/kelurahan", "Posyandu per village",
              "per desa", "per village", False, "Posyandu", "desa/kelurahan (daftar Kemendagri)",
              "registri", decimals=2),
    Indicator("kader_per_posyandu", "Kader per Posyandu", "Kader per Posyandu",
              "kader per Posyandu", "kader per Posyandu", False, "jumlah_kader",
              "Posyandu dengan jumlah kader terisi", "registri", decimals=2),
    Indicator("kader_per_1000_balita", "Kader per 1.000 balita sasaran",
              "Kader per 1,000 target under-fives", "per 1.000 balita", "per 1,000 under-fives",
              False, "jumlah_kader", "balita_sasaran", "registri", scale=1000.0),
    Indicator("posyandu_kader5_pct", "Posyandu dengan minimal 5 kader",
              "Posyandu with at least 5 kader", "%", "%", False,
              "Posyandu dengan jumlah_kader ≥ 5", "Posyandu dengan jumlah kader terisi",
              "registri", scale=100.0),
    Indicator("kader_terlatih_pct", "Kader terlatih (25 keterampilan dasar)",
              "Trained kader (25 basic skills)", "%", "%", False, "kader_terlatih",
              "jumlah_kader", "registri", scale=100.0),
    Indicator("posyandu_aktif_pct", "Posyandu aktif", "Active Posyandu", "%", "%", False,
              "Posyandu aktif", "Posyandu dengan status aktif terisi", "registri", scale=100.0),
    Indicator("tanpa_internet_pct", "Posyandu tanpa internet", "Posyandu without internet",
              "%", "%", True, "Posyandu dengan internet = tidak",
              "Posyandu dengan status internet terisi", "registri", scale=100.0),
    Indicator("posyandu_tanpa_internet", "Jumlah Posyandu tanpa internet",
              "Posyandu without internet (count)", "Posyandu", "Posyandu", True,
              "Posyandu dengan internet = tidak", None, "registri", decimals=0),
    Indicator("posyandu_bahaya_tinggi", "Posyandu di zona bahaya tinggi",
              "Posyandu in high-hazard zones", "Posyandu", "Posyandu", True,
              "Posyandu di zona kelas tinggi (banjir atau tanah longsor)", None, "registri",
              decimals=0),
    Indicator("posyandu_bahaya_tinggi_pct", "Posyandu di zona bahaya tinggi (%)",
              "Posyandu in high-hazard zones (%)", "%", "%", True,
              "Posyandu di zona kelas tinggi", "Posyandu", "registri", scale=100.0),
    Indicator("desa_blankspot", "Desa blank spot (tanpa sinyal)", "Blank-spot villages",
              "desa", "villages", True, "desa/kelurahan blank spot (Diskominfo)", None,
              "publikasi", decimals=0),
    Indicator("penduduk", "Jumlah penduduk", "Population", "jiwa", "people", False,
              "penduduk (Dukcapil, Des 2024)", None, "publikasi", decimals=0),
    Indicator("luas", "Luas wilayah", "Area", "km²", "km²", False, "luas (BIG, 2024)", None,
              "publikasi", decimals=0),
)}


def get(indicator_id: str) -> Indicator:
    try:
        return INDICATORS[indicator_id]
    except KeyError:
        raise KeyError(f"indikator tidak dikenal: {indicator_id} "
                       f"(pilihan: {', '.join(INDICATORS)})") from None


def _per_post(joined: pd.DataFrame, hazard_max: pd.Series | None
              ) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Numerator and denominator contributed by each Posyandu: (column keys, matrix) with
    one column per (indicator, "num"|"den"). NumPy throughout: 300,000 rows, 20 columns."""
    n = len(joined)

    def num(col):
        if col not in joined:
            return np.full(n, np.nan)
        return pd.to_numeric(joined[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)

    def flag(col):  # 1.0 / 0.0 / NaN
        if col not in joined:
            return np.full(n, np.nan)
        return joined[col].astype("boolean").to_numpy(dtype=float, na_value=np.nan)

    kader, terlatih = num("jumlah_kader"), num("kader_terlatih")
    sasaran, ditimbang, stunting = num("balita_sasaran"), num("balita_ditimbang"), num("balita_stunting")
    internet, aktif = flag("internet"), flag("aktif")
    one = np.ones(n)
    known = lambda a: ~np.isnan(a)  # noqa: E731
    pair = lambda a, b: known(a) & known(b)  # noqa: E731 - pairs counted only when both known
    offline = (internet == 0).astype(float)
    cols = {
        ("stunting_registri", "num"): np.where(pair(stunting, ditimbang), stunting, 0.0),
        ("stunting_registri", "den"): np.where(pair(stunting, ditimbang), ditimbang, 0.0),
        ("posyandu", "num"): one,
        ("posyandu_per_desa", "num"): one,
        ("kader_per_posyandu", "num"): np.nan_to_num(kader),
        ("kader_per_posyandu", "den"): known(kader).astype(float),
        ("kader_per_1000_balita", "num"): np.where(pair(kader, sasaran), kader, 0.0),
        ("kader_per_1000_balita", "den"): np.where(pair(kader, sasaran), sasaran, 0.0),
        ("posyandu_kader5_pct", "num"): (kader >= 5).astype(float),
        ("posyandu_kader5_pct", "den"): known(kader).astype(float),
        ("kader_terlatih_pct", "num"): np.where(pair(kader, terlatih), terlatih, 0.0),
        ("kader_terlatih_pct", "den"): np.where(pair(kader, terlatih), kader, 0.0),
        ("posyandu_aktif_pct", "num"): (aktif == 1).astype(float),
        ("posyandu_aktif_pct", "den"): known(aktif).astype(float),
        ("tanpa_internet_pct", "num"): offline,
        ("tanpa_internet_pct", "den"): known(internet).astype(float),
        ("posyandu_tanpa_internet", "num"): offline,
    }
    if hazard_max is not None:
        high = (hazard_max.reindex(joined.index) == "tinggi").to_numpy(dtype=float)
        cols[("posyandu_bahaya_tinggi", "num")] = high
        cols[("posyandu_bahaya_tinggi_pct", "num")] = high
        cols[("posyandu_bahaya_tinggi_pct", "den")] = one
    return list(cols), np.column_stack(list(cols.values()))


@functools.lru_cache(maxsize=8)
def _village_counts(level: str) -> pd.Series:
    """Number of desa/kelurahan in the Kemendagri list per region of ``level``."""
    from .regions import code_list
    codes = code_list("desa")["code"]
    return codes.str[:CODE_LENGTH[level]].value_counts()


def aggregate(joined: pd.DataFrame, levels: tuple[str, ...] = LEVELS,
              hazard_max: pd.Series | None = None,
              min_denominator: float = DEFAULT_MIN_DENOMINATOR,
              code_column: str = "kode_agregasi") -> pd.DataFrame:
    """Registry indicators for every region of ``levels`` (long shape).

    ``joined`` is the output of geo.join.join (its ``kode_agregasi`` says where each
    Posyandu counts). ``hazard_max`` (optional) gives each Posyandu's highest hazard class.
    """
    columns, matrix = _per_post(joined, hazard_max)
    col_of = {key: i for i, key in enumerate(columns)}
    # Sum once per distinct code, then roll the (few) distinct codes up each level; code
    # prefixes are cut with fixed-width NumPy strings ("62.71.01.1001"[:8] = "62.71.01").
    codes = joined[code_column]
    if isinstance(codes.dtype, pd.CategoricalDtype):
        # Only codes that hold a Posyandu: a region without any keeps "no data".
        codes = codes.cat.remove_unused_categories()
        post_idx, uniq = codes.cat.codes.to_numpy(), codes.cat.categories
    else:
        post_idx, uniq = pd.factorize(codes.astype(object), use_na_sentinel=True)
    uniq = np.asarray(uniq, dtype="U13")
    valid = post_idx >= 0
    by_code = np.column_stack([
        np.bincount(post_idx[valid], weights=matrix[valid, i], minlength=len(uniq))
        for i in range(matrix.shape[1])]) if len(uniq) else np.zeros((0, len(columns)))
    uniq_len = np.char.str_len(uniq)
    ind_ids = list(dict.fromkeys(k for k, _ in columns))
    parts: dict[str, list] = {c: [] for c in ("indicator", "code", "level", "value", "numerator",
                                              "denominator", "unstable")}
    code_categories: list[np.ndarray] = []
    offset = 0
    for li, level in enumerate(levels):
        n = CODE_LENGTH[level]
        ok = uniq_len >= n
        if not ok.any():
            continue
        groups, group_of_uniq = np.unique(uniq[ok].astype(f"U{n}"), return_inverse=True)
        rows = by_code[ok]
        sums = np.column_stack([np.bincount(group_of_uniq, weights=rows[:, i],
                                            minlength=len(groups))
                                for i in range(rows.shape[1])])
        k = len(groups)
        group_codes = groups.astype(object)
        code_categories.append(group_codes)
        code_idx = np.arange(offset, offset + k)
        offset += k
        for ii, ind_id in enumerate(ind_ids):
            ind = INDICATORS[ind_id]
            numerator = sums[:, col_of[(ind_id, "num")]]
            if ind_id == "posyandu_per_desa":
                denominator = _village_counts(level).reindex(group_codes).to_numpy(dtype=float)
            elif ind.is_rate:
                denominator = sums[:, col_of[(ind_id, "den")]]
            else:
                denominator = np.full(k, np.nan)
            with np.errstate(divide="ignore", invalid="ignore"):
                value = np.where(denominator > 0, ind.scale * numerator / denominator, np.nan) \
                    if ind.is_rate else numerator
            parts["indicator"].append(np.full(k, ii, dtype=np.int16))
            parts["code"].append(code_idx)
            parts["level"].append(np.full(k, li, dtype=np.int8))
            parts["value"].append(value)
            parts["numerator"].append(numerator)
            parts["denominator"].append(denominator)
            parts["unstable"].append(ind.is_rate & (np.nan_to_num(denominator) < min_denominator))
    if not parts["code"]:
        return pd.DataFrame(columns=LONG_COLUMNS)
    # Text columns as categoricals built from integer codes: ~900,000 rows share a few
    # thousand distinct values, and no string is copied per row.
    size = sum(len(v) for v in parts["value"])
    cat = pd.Categorical.from_codes
    return pd.DataFrame({
        "indicator": cat(np.concatenate(parts["indicator"]), ind_ids),
        "code": cat(np.concatenate(parts["code"]), np.concatenate(code_categories)),
        "level": cat(np.concatenate(parts["level"]), list(levels)),
        "period": cat(np.zeros(size, dtype=np.int8), [REGISTRY_PERIOD]),
        "value": np.concatenate(parts["value"]),
        "numerator": np.concatenate(parts["numerator"]),
        "denominator": np.concatenate(parts["denominator"]),
        "unstable": np.concatenate(parts["unstable"]),
        "source": cat(np.zeros(size, dtype=np.int8), ["registri"]),
    })


def published_long() -> pd.DataFrame:
    """Published values in the long shape (no numerator/denominator, never 'unstable')."""
    t = published.table()
    out = pd.DataFrame({
        "indicator": t["indicator"], "code": t["code"], "level": t["level"],
        "period": t["period"], "value": t["value"], "numerator": np.nan,
        "denominator": np.nan, "unstable": False, "source": t["source"]})
    return out


def values(long: pd.DataFrame, indicator: str, level: str, period: str | None = None,
           parent: str | None = None) -> pd.DataFrame:
    """Rows of one indicator at one level (optionally one period, one parent region)."""
    sel = (long["indicator"] == indicator) & (long["level"] == level)
    if period is not None:
        sel &= long["period"] == period
    if parent:
        sel &= long["code"].str.startswith(parent + ".")
    return long.loc[sel]


def table(level: str, joined: pd.DataFrame | None = None, parent: str | None = None,
          hazard_max: pd.Series | None = None,
          min_denominator: float = DEFAULT_MIN_DENOMINATOR) -> pd.DataFrame:
    """Every indicator for the regions of ``level`` (under ``parent``), with names."""
    from .regions import code_list
    parts = [published_long()]
    if joined is not None:
        parts.append(aggregate(joined, (level,), hazard_max, min_denominator))
    long = pd.concat(parts, ignore_index=True)
    long = long.loc[long["level"] == level]
    if parent:
        long = long.loc[long["code"].str.startswith(parent + ".")]
    names = code_list(level).set_index("code")["name"]
    long = long.assign(name=long["code"].map(names))
    cols = ["code", "name", "indicator", "period", "value", "numerator", "denominator",
            "unstable", "source"]
    return long[cols].sort_values(["indicator", "period", "code"]).reset_index(drop=True)
