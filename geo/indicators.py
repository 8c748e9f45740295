"""Indicator registry and aggregation.

Registry-derived indicators are computed per Posyandu as a numerator and a denominator,
summed per region at every level, and only then divided — rates are never averaged.
A rate whose denominator is below ``min_denominator`` (default 20) is flagged unstable.

Published survey values (geo.published) and registry-derived values share one long shape:

    indicator, code, level, period, value, numerator, denominator, unstable, source
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import published
from .codes import LEVELS, PARTS

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


def _per_post(joined: pd.DataFrame, hazard_max: pd.Series | None) -> pd.DataFrame:
    """Numerator and denominator contributed by each Posyandu, one column pair per indicator."""
    def num(col):
        return pd.to_numeric(joined[col], errors="coerce").astype(float) if col in joined \
            else pd.Series(np.nan, index=joined.index)

    def flag(col):
        if col not in joined:
            return pd.Series(pd.NA, index=joined.index, dtype="boolean")
        return joined[col].astype("boolean")

    kader, terlatih = num("jumlah_kader"), num("kader_terlatih")
    sasaran, ditimbang, stunting = num("balita_sasaran"), num("balita_ditimbang"), num("balita_stunting")
    internet, aktif = flag("internet"), flag("aktif")
    one = pd.Series(1.0, index=joined.index)
    both = lambda a, b: a.notna() & b.notna()  # noqa: E731 - pairs counted only when both known
    cols = {
        ("stunting_registri", "num"): stunting.where(both(stunting, ditimbang), 0.0),
        ("stunting_registri", "den"): ditimbang.where(both(stunting, ditimbang), 0.0),
        ("posyandu", "num"): one,
        ("posyandu_per_desa", "num"): one,
        ("kader_per_posyandu", "num"): kader.fillna(0.0),
        ("kader_per_posyandu", "den"): kader.notna().astype(float),
        ("kader_per_1000_balita", "num"): kader.where(both(kader, sasaran), 0.0),
        ("kader_per_1000_balita", "den"): sasaran.where(both(kader, sasaran), 0.0),
        ("posyandu_kader5_pct", "num"): (kader >= 5).astype(float),
        ("posyandu_kader5_pct", "den"): kader.notna().astype(float),
        ("kader_terlatih_pct", "num"): terlatih.where(both(kader, terlatih), 0.0),
        ("kader_terlatih_pct", "den"): kader.where(both(kader, terlatih), 0.0),
        ("posyandu_aktif_pct", "num"): aktif.fillna(False).astype(float),
        ("posyandu_aktif_pct", "den"): aktif.notna().astype(float),
        ("tanpa_internet_pct", "num"): (internet == False).fillna(False).astype(float),  # noqa: E712
        ("tanpa_internet_pct", "den"): internet.notna().astype(float),
        ("posyandu_tanpa_internet", "num"): (internet == False).fillna(False).astype(float),  # noqa: E712
    }
    if hazard_max is not None:
        high = (hazard_max.reindex(joined.index) == "tinggi").astype(float)
        cols[("posyandu_bahaya_tinggi", "num")] = high
        cols[("posyandu_bahaya_tinggi_pct", "num")] = high
        cols[("posyandu_bahaya_tinggi_pct", "den")] = one
    frame = pd.DataFrame(cols)
    frame.columns = pd.MultiIndex.from_tuples(frame.columns)
    return frame


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
    per_post = _per_post(joined, hazard_max)
    matrix = per_post.to_numpy(dtype=float)
    columns = list(per_post.columns)
    # Sum once per distinct code, then roll the (few) distinct codes up each level; code
    # prefixes are cut with fixed-width NumPy strings ("62.71.01.1001"[:8] = "62.71.01").
    codes = joined[code_column]
    if isinstance(codes.dtype, pd.CategoricalDtype):
        post_idx, uniq = codes.cat.codes.to_numpy(), codes.cat.categories
    else:
        post_idx, uniq = pd.factorize(codes.astype(object), use_na_sentinel=True)
    uniq = np.asarray(uniq, dtype="U13")
    valid = post_idx >= 0
    by_code = np.column_stack([
        np.bincount(post_idx[valid], weights=matrix[valid, i], minlength=len(uniq))
        for i in range(matrix.shape[1])]) if len(uniq) else np.zeros((0, len(columns)))
    uniq_len = np.char.str_len(uniq)
    frames = []
    for level in levels:
        n = CODE_LENGTH[level]
        ok = uniq_len >= n
        if not ok.any():
            continue
        groups, group_of_uniq = np.unique(uniq[ok].astype(f"U{n}"), return_inverse=True)
        rows = by_code[ok]
        sums = pd.DataFrame(
            {col: np.bincount(group_of_uniq, weights=rows[:, i], minlength=len(groups))
             for i, col in enumerate(columns)}, index=pd.Index(groups.astype(object), dtype=object))
        sums.columns = pd.MultiIndex.from_tuples(columns)
        for ind_id in sums.columns.get_level_values(0).unique():
            ind = INDICATORS[ind_id]
            numerator = sums[(ind_id, "num")]
            if ind_id == "posyandu_per_desa":
                denominator = _village_counts(level).reindex(numerator.index).astype(float)
            elif ind.is_rate:
                denominator = sums[(ind_id, "den")]
            else:
                denominator = pd.Series(np.nan, index=numerator.index)
            with np.errstate(divide="ignore", invalid="ignore"):
                value = np.where(denominator > 0, ind.scale * numerator / denominator, np.nan) \
                    if ind.is_rate else numerator.to_numpy()
            frames.append(pd.DataFrame({
                "indicator": ind_id, "code": numerator.index, "level": level,
                "period": REGISTRY_PERIOD, "value": value, "numerator": numerator.to_numpy(),
                "denominator": denominator.to_numpy(),
                "unstable": ind.is_rate & (denominator.fillna(0).to_numpy() < min_denominator),
                "source": "registri"}))
    if not frames:
        return pd.DataFrame(columns=LONG_COLUMNS)
    return pd.concat(frames, ignore_index=True)


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
