"""Indicator registry and aggregation.

Registry-derived indicators are computed per Posyandu as a numerator and a denominator,
summed per region at every level, and only then divided — rates are never averaged.
A rate whose denominator is below ``min_denominator`` (default 20) is flagged unstable.

Published survey values (geo.indicators.published) and registry-derived values share one long shape:

    indicator, code, level, period, value, numerator, denominator, unstable, source,
    ci_low, ci_high, rse, ci_note

Every proportion (a share in % of countable things) carries its Wilson 95 % interval and its
RSE computed from its numerator and denominator (geo.stats.intervals); published values carry
no invented interval (NaN, ``ci_note`` = "interval tidak dipublikasikan").

The hazard-exposure indicators (one set per InaRISK hazard type) are defined and summed in
geo.indicators.hazards, the Posyandu transformation indicators (SPM services, strata) in
geo.indicators.transformation; both are registered here.
"""
from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from geo.codes import LEVELS
from geo.indicators import published
from geo.indicators.definition import (  # noqa: F401  (public here too)
    DEFAULT_MIN_DENOMINATOR,
    KADER_STANDARD,
    LONG_COLUMNS,
    REGISTRY_PERIOD,
    WHO_STUNTING_BINS,
    Indicator,
)
from geo.indicators.hazards import hazard_definitions, hazard_sums
from geo.indicators.transformation import transformation_definitions, transformation_sums
from geo.regions.positions import code_positions
from geo.stats import intervals

PARALLEL_MIN = 50_000  # Posyandu; below this the sums run on one thread

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
    Indicator("desa_tanpa_sinyal", "Desa tanpa sinyal seluler (BPS)",
              "Villages without cellular signal (BPS)", "desa", "villages", True,
              "desa/kelurahan tanpa sinyal telepon seluler (BPS)", None, "publikasi",
              decimals=0),
    Indicator("penduduk", "Jumlah penduduk", "Population", "jiwa", "people", False,
              "penduduk (Dukcapil, Des 2024)", None, "publikasi", decimals=0),
    Indicator("luas", "Luas wilayah", "Area", "km²", "km²", False, "luas (BIG, 2024)", None,
              "publikasi", decimals=0),
)}


INDICATORS.update({i.id: i for i in (
    # counts that aggregate tables per kecamatan/desa publish (geo.importers.aggregates),
    # also summed from a registry
    Indicator("posyandu_aktif_jumlah", "Jumlah Posyandu aktif", "Active Posyandu (count)",
              "Posyandu", "Posyandu", False, "Posyandu aktif", None, "registri", decimals=0),
    Indicator("kader_jumlah", "Jumlah kader", "Kader (count)", "kader", "kader", False,
              "jumlah_kader", None, "registri", decimals=0),
    Indicator("kader_terlatih_jumlah", "Jumlah kader terlatih", "Trained kader (count)",
              "kader", "kader", False, "kader_terlatih", None, "registri", decimals=0),
)})
# Posyandu transformation (SPM services, strata) indicators live in
# geo.indicators.transformation.
INDICATORS.update({i.id: i for i in transformation_definitions()})


def _count_sums(joined: pd.DataFrame, post: np.ndarray, size: int
                ) -> dict[tuple[str, str], np.ndarray]:
    """Registry sums of the counts aggregate tables publish (active Posyandu, kader)."""
    n = len(joined)

    def column(col, kind):
        if col not in joined:
            return np.zeros(n)
        if kind == "flag":
            return joined[col].astype("boolean").fillna(False).to_numpy(dtype=float)
        return pd.to_numeric(joined[col], errors="coerce").to_numpy(dtype=float, na_value=0.0)

    return {(ind, "num"): np.bincount(post, np.nan_to_num(column(col, kind)), minlength=size)
            for ind, col, kind in (("posyandu_aktif_jumlah", "aktif", "flag"),
                                   ("kader_jumlah", "jumlah_kader", "count"),
                                   ("kader_terlatih_jumlah", "kader_terlatih", "count"))}


def get(indicator_id: str) -> Indicator:
    try:
        return INDICATORS[indicator_id]
    except KeyError:
        raise KeyError(f"indikator tidak dikenal: {indicator_id} "
                       f"(pilihan: {', '.join(INDICATORS)})") from None


def _sums_per_code(joined: pd.DataFrame, post: np.ndarray, size: int,
                   hazard_max: pd.Series | None) -> dict[tuple[str, str], np.ndarray]:
    """Numerator and denominator sums per code, keyed (indicator, "num"|"den"): one
    ``bincount`` over the Posyandu per distinct sum (``post`` = code position of each
    Posyandu, all valid)."""
    n = len(joined)

    def num(col):
        if col not in joined:
            return np.full(n, np.nan)
        values = joined[col]
        if not pd.api.types.is_numeric_dtype(values.dtype):
            values = pd.to_numeric(values, errors="coerce")
        return values.to_numpy(dtype=float, na_value=np.nan)

    def flag(col):  # 1.0 / 0.0 / NaN
        if col not in joined:
            return np.full(n, np.nan)
        return joined[col].astype("boolean").to_numpy(dtype=float, na_value=np.nan)

    def total(weights=None):
        return np.bincount(post, weights, minlength=size).astype(float)

    kader, terlatih = num("jumlah_kader"), num("kader_terlatih")
    sasaran, ditimbang, stunting = num("balita_sasaran"), num("balita_ditimbang"), num("balita_stunting")
    internet, aktif = flag("internet"), flag("aktif")
    has_kader = ~np.isnan(kader)
    both = lambda a, b: ~np.isnan(a) & ~np.isnan(b)  # noqa: E731 - pairs count only when both known
    stunting_pair, sasaran_pair, terlatih_pair = both(stunting, ditimbang), both(kader, sasaran), \
        both(kader, terlatih)
    if isinstance(hazard_max, pd.DataFrame):        # exposure classes per type (geo.hazards.exposure)
        hazard_max = hazard_max["hazard_max"]
    high = None if hazard_max is None else \
        (hazard_max.reindex(joined.index) == "tinggi").to_numpy(dtype=bool)
    weights = {  # each distinct sum once; None = count of Posyandu
        "count": lambda: None,
        "stunting": lambda: np.where(stunting_pair, stunting, 0.0),
        "ditimbang": lambda: np.where(stunting_pair, ditimbang, 0.0),
        "kader": lambda: np.where(has_kader, kader, 0.0),
        "kader_known": lambda: has_kader,
        "kader_sasaran": lambda: np.where(sasaran_pair, kader, 0.0),
        "sasaran": lambda: np.where(sasaran_pair, sasaran, 0.0),
        "kader5": lambda: kader >= KADER_STANDARD,
        "terlatih": lambda: np.where(terlatih_pair, terlatih, 0.0),
        "kader_terlatih": lambda: np.where(terlatih_pair, kader, 0.0),
        "aktif": lambda: aktif == 1,
        "aktif_known": lambda: ~np.isnan(aktif),
        "offline": lambda: internet == 0,
        "internet_known": lambda: ~np.isnan(internet),
    }
    if high is not None:
        weights["high"] = lambda: high
    # bincount releases the GIL: a large registry is summed on two threads.
    if n >= PARALLEL_MIN:
        with ThreadPoolExecutor(2) as pool:
            done = dict(zip(weights, pool.map(lambda f: total(f()), weights.values())))
    else:
        done = {key: total(f()) for key, f in weights.items()}
    sums = {
        ("stunting_registri", "num"): done["stunting"],
        ("stunting_registri", "den"): done["ditimbang"],
        ("posyandu", "num"): done["count"],
        ("posyandu_per_desa", "num"): done["count"],
        ("kader_per_posyandu", "num"): done["kader"],
        ("kader_per_posyandu", "den"): done["kader_known"],
        ("kader_per_1000_balita", "num"): done["kader_sasaran"],
        ("kader_per_1000_balita", "den"): done["sasaran"],
        ("posyandu_kader5_pct", "num"): done["kader5"],
        ("posyandu_kader5_pct", "den"): done["kader_known"],
        ("kader_terlatih_pct", "num"): done["terlatih"],
        ("kader_terlatih_pct", "den"): done["kader_terlatih"],
        ("posyandu_aktif_pct", "num"): done["aktif"],
        ("posyandu_aktif_pct", "den"): done["aktif_known"],
        ("tanpa_internet_pct", "num"): done["offline"],
        ("tanpa_internet_pct", "den"): done["internet_known"],
        ("posyandu_tanpa_internet", "num"): done["offline"],
    }
    if high is not None:
        sums[("posyandu_bahaya_tinggi", "num")] = done["high"]
        sums[("posyandu_bahaya_tinggi_pct", "num")] = done["high"]
        sums[("posyandu_bahaya_tinggi_pct", "den")] = done["count"]
    sums.update(transformation_sums(joined, post, size))
    sums.update(_count_sums(joined, post, size))
    return sums


def aggregate(joined: pd.DataFrame, levels: tuple[str, ...] = LEVELS,
              hazard_max: pd.Series | None = None,
              min_denominator: float = DEFAULT_MIN_DENOMINATOR,
              code_column: str = "kode_agregasi") -> pd.DataFrame:
    """Registry indicators for every region of ``levels`` (long shape).

    ``joined`` is the output of geo.registry.join.join (its ``kode_agregasi`` says where each
    Posyandu counts). ``hazard_max`` (optional) gives each Posyandu's highest hazard class,
    or is the frame of geo.hazards.exposure.classify_posyandu (class per type): then the hazard
    exposure indicators of the types present (and "semua") are aggregated too.
    Only regions holding at least one Posyandu get rows: a region without any keeps "no
    data", never a false 0.
    """
    table, post = code_positions(joined[code_column])
    valid = post >= 0
    if not valid.all():
        joined, post = joined.loc[valid], post[valid]
        if hazard_max is not None:
            hazard_max = hazard_max.reindex(joined.index)
    sums = _sums_per_code(joined, post, len(table), hazard_max)
    if isinstance(hazard_max, pd.DataFrame):
        sums.update(hazard_sums(joined, post, len(table), hazard_max))
    columns = list(sums)
    col_of = {key: i for i, key in enumerate(columns)}
    by_code = np.vstack([sums[key] for key in columns])        # quantity × code
    ind_ids = list(dict.fromkeys(k for k, _ in columns))
    count = col_of[("posyandu", "num")]
    # Only regions holding a Posyandu get rows: find them per level from the counts, then
    # sum every quantity over those regions straight into one matrix (quantity × region).
    held = [np.flatnonzero(table.sums(by_code[count:count + 1], level)[0] > 0)
            for level in levels]
    n_regions = sum(len(h) for h in held)
    if n_regions == 0:
        return pd.DataFrame(columns=LONG_COLUMNS)
    totals = np.empty((len(columns), n_regions))
    region = np.empty(n_regions, dtype=np.int32)
    level_of = np.empty(n_regions, dtype=np.int8)
    villages = np.empty(n_regions)
    lo = offset = 0
    for li, level in enumerate(levels):
        hi = lo + len(held[li])
        table.sums(by_code, level, held[li], out=totals[:, lo:hi])
        region[lo:hi] = held[li] + offset
        level_of[lo:hi] = li
        villages[lo:hi] = table.village_counts(level)[held[li]]
        lo, offset = hi, offset + len(table.groups(level)[2])
    # One block of rows per indicator: every region of every level.
    rows = n_regions * len(ind_ids)
    numbers = np.empty((3, rows))                   # value, numerator, denominator
    bounds = np.empty((3, rows), dtype=np.float32)  # ci_low, ci_high, rse
    note = np.full(rows, -1, dtype=np.int8)         # ci_note (category code; -1 = none)
    unstable = np.zeros(rows, dtype=bool)
    for ii, ind_id in enumerate(ind_ids):
        ind = INDICATORS[ind_id]
        block = slice(ii * n_regions, (ii + 1) * n_regions)
        numerator = totals[col_of[(ind_id, "num")]]
        if ind_id == "posyandu_per_desa":
            denominator = villages
        elif ind.is_rate:
            denominator = totals[col_of[(ind_id, "den")]]
        else:
            denominator = np.full(n_regions, np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(denominator > 0, ind.scale * numerator / denominator, np.nan) \
                if ind.is_rate else numerator
        numbers[0, block], numbers[1, block], numbers[2, block] = value, numerator, denominator
        if ind.is_rate:
            unstable[block] = np.nan_to_num(denominator) < min_denominator
        bounds[0, block], bounds[1, block], bounds[2, block] = \
            intervals.interval_columns(ind, numerator, denominator)
        if intervals.is_proportion(ind):
            note[block] = 0
    # Text columns are categoricals built from integer codes: ~900,000 rows share a few
    # thousand distinct values, and no string is copied per row.
    frame = pd.DataFrame(numbers.T, columns=["value", "numerator", "denominator"], copy=False)
    cat = pd.Categorical.from_codes
    frame.insert(0, "indicator", cat(np.repeat(np.arange(len(ind_ids), dtype=np.int16),
                                               n_regions), dtype=_dtype(tuple(ind_ids))))
    frame.insert(1, "code", cat(np.tile(region, len(ind_ids)), dtype=table.regions_dtype(levels)))
    frame.insert(2, "level", cat(np.tile(level_of, len(ind_ids)), dtype=_dtype(tuple(levels))))
    frame.insert(3, "period", cat(np.zeros(rows, dtype=np.int8), dtype=_dtype((REGISTRY_PERIOD,))))
    frame["unstable"] = unstable
    frame["source"] = cat(np.zeros(rows, dtype=np.int8), dtype=_dtype(("registri",)))
    frame["ci_low"], frame["ci_high"], frame["rse"] = bounds[0], bounds[1], bounds[2]
    frame["ci_note"] = cat(note, dtype=_dtype(intervals.CI_NOTES))
    return frame


@functools.lru_cache(maxsize=32)
def _dtype(categories: tuple[str, ...]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(categories))


def published_long() -> pd.DataFrame:
    """Published values in the long shape (no numerator/denominator, never 'unstable')."""
    t = published.table()
    out = pd.DataFrame({
        "indicator": t["indicator"], "code": t["code"], "level": t["level"],
        "period": t["period"], "value": t["value"], "numerator": np.nan,
        "denominator": np.nan, "unstable": False, "source": t["source"],
        "ci_low": np.nan, "ci_high": np.nan, "rse": np.nan,
        "ci_note": [_published_note(i) for i in t["indicator"]]})
    return out


def _published_note(indicator: str) -> str | None:
    """A published proportion: the data directory's sources give no interval."""
    ind = INDICATORS.get(indicator)
    return intervals.CI_NOT_PUBLISHED if ind is not None and ind.unit_id == "%" else None


def values(long: pd.DataFrame, indicator: str, level: str, period: str | None = None,
           parent: str | None = None) -> pd.DataFrame:
    """Rows of one indicator at one level (optionally one period, one parent region)."""
    sel = (long["indicator"] == indicator) & (long["level"] == level)
    if period is not None:
        sel &= long["period"] == period
    if parent:
        sel &= long["code"].str.startswith(parent + ".")
    return long.loc[sel]


def table(long: pd.DataFrame, level: str, parent: str | None = None) -> pd.DataFrame:
    """Every indicator of a long table (geo.datasets.long_table) for the regions of
    ``level`` (under ``parent``), with names."""
    from geo.regions.boundaries import code_list
    long = long.loc[long["level"] == level]
    if parent:
        long = long.loc[long["code"].str.startswith(parent + ".")]
    names = code_list(level).set_index("code")["name"]
    long = long.assign(name=long["code"].map(names))
    cols = ["code", "name", "indicator", "period", "value", "numerator", "denominator",
            "unstable", "source", "ci_low", "ci_high", "rse", "reliability", "ci_note"]
    cls = intervals.reliability(long["rse"], unstable=long["unstable"].to_numpy(dtype=bool))
    long = long.assign(reliability=np.where(long["ci_note"].isna(), "", cls))
    return long[cols].sort_values(["indicator", "period", "code"]).reset_index(drop=True)


# Hazard-exposure indicators (per InaRISK hazard type) live in geo.indicators.hazards.
INDICATORS.update({i.id: i for i in hazard_definitions()})
