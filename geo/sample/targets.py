"""The published figures the sample registry follows (read from the data directory's
``indicators/`` tables, never typed in here): national and province totals of Posyandu,
Posyandu per regency by population, stunting targets per province, the internet plan
(blank-spot villages), strata and active shares, kader per Posyandu. See geo.sample.generate.
"""
from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from geo.config import CODE_LISTS, data_dir, data_path, read_text_table
from geo.indicators.published import PAPUA_OLD, PAPUA_SPLIT_YEAR
from geo.regions.boundaries import cache_file, code_list, has_level
from geo.registry.schema import STRATA

GENERATOR_VERSION = "2"  # bump whenever the output for a (scope, seed) changes
CRS = "EPSG:4326"
NATIONAL = "nasional"

POSYANDU_FILE = "indicators/posyandu_reported.csv"
POPULATION_FILE = "indicators/population_area_2024.csv"
STUNTING_FILE = "indicators/stunting_province.csv"
INTERNET_FILE = "indicators/internet_blankspot_reported.csv"

# Common words of real Posyandu names (flowers and wishes), used for "Posyandu <word> <n>".
NAME_WORDS = (
    "Mawar", "Melati", "Anggrek", "Kenanga", "Dahlia", "Flamboyan", "Cempaka", "Bougenvil",
    "Seroja", "Teratai", "Bunga Tanjung", "Harapan", "Sejahtera", "Sehat", "Kasih Ibu",
    "Tunas Harapan", "Tunas Bangsa", "Bina Sehat", "Nusa Indah", "Asoka", "Kamboja",
    "Sakura", "Lestari", "Harapan Bunda", "Permata Hati", "Kartini", "Delima", "Cendana",
    "Bunga Raya", "Matahari",
)

# ---------------------------------------------------------------- assumptions
# Not published anywhere we could find; documented here and in the docstrings.
BALITA_SHARE = 0.085          # under-fives ≈ 8.5 % of population: NOT a published figure
                              # (no balita population by region was found); used only to
                              # scale the number of target children per Posyandu.
WEIGHED_SHARE = 0.80          # mean share of target children weighed (D/S)
TRAINED_SHARE = 0.60          # mean share of kader who are trained
KELURAHAN_WEIGHT = 2.0        # a kelurahan (urban) draws twice the extra Posyandu of a desa
# Relative weight of each stratum in being "aktif" (higher strata are more often active).
STRATA_ACTIVE_WEIGHT = {"Pratama": 1.0, "Madya": 2.0, "Purnama": 4.0, "Mandiri": 6.0}
# Relative number of kader by stratum (renormalised to keep the national mean).
STRATA_KADER_FACTOR = {"Pratama": 0.7, "Madya": 1.0, "Purnama": 1.25, "Mandiri": 1.5}
# Six SPM service areas (integrasi layanan primer): share of Posyandu offering each.
# Health is the Posyandu's core; the others are plausible guesses, higher for active posts.
SERVICE_SHARE = {
    "layanan_kesehatan": 0.98, "layanan_pendidikan": 0.55, "layanan_pekerjaan_umum": 0.25,
    "layanan_perumahan": 0.20, "layanan_trantibumlinmas": 0.30, "layanan_sosial": 0.45,
}
SERVICE_ACTIVE_BOOST = 1.3    # active posts offer non-health services 1.3× as often
STUNTING_SURVEY_ORDER = (("SSGI", 2024), ("SKI", 2023), ("SSGI", 2022))


# ---------------------------------------------------------------- source tables

def _read_csv(rel: str) -> pd.DataFrame:
    return _read_cached(str(data_dir()), rel)


@functools.lru_cache(maxsize=16)
def _read_cached(root: str, rel: str) -> pd.DataFrame:
    return read_text_table(Path(root) / rel)


def _reported(metric: str, level: str | None = None, table: str = POSYANDU_FILE) -> pd.DataFrame:
    """Rows of one metric, latest year per code: columns code, year, value (float)."""
    df = _read_csv(table)
    df = df.loc[df["metric"] == metric]
    if level:
        df = df.loc[df["level"] == level]
    df = df.assign(year=df["year"].astype(int), value=df["value"].astype(float))
    df = df.sort_values(["code", "year"]).drop_duplicates("code", keep="last")
    return df[["code", "level", "year", "value", "name"]].reset_index(drop=True)


def _national_total() -> int:
    nat = _reported("posyandu_registered", "national")
    if nat.empty:
        raise ValueError("posyandu_registered (national) tidak ada di " + POSYANDU_FILE)
    return int(nat["value"].iloc[0])


def _province_totals() -> dict[str, int]:
    """Latest published total Posyandu of the provinces that have one."""
    df = _reported("posyandu_total", "province")
    return {c: int(v) for c, v in zip(df["code"], df["value"])}


def _strata_probabilities() -> tuple[np.ndarray, str]:
    """Strata shares from the latest province with all four published strata counts."""
    df = _read_csv(POSYANDU_FILE)
    metrics = [f"posyandu_{s.lower()}" for s in STRATA]
    df = df.loc[df["metric"].isin(metrics) & (df["level"] == "province")]
    complete = df.groupby(["code", "year"])["metric"].nunique()
    complete = complete[complete == len(STRATA)].sort_index(level="year")
    code, year = complete.index[-1]
    rows = df.loc[(df["code"] == code) & (df["year"] == year)].set_index("metric")["value"]
    counts = np.array([float(rows[m]) for m in metrics])
    return counts / counts.sum(), f"{code} {year}"


def _active_shares() -> tuple[dict[str, float], float]:
    """Published active share per province (latest year) and the default for the rest.

    The default is the unweighted mean of the published provincial shares (Kalimantan
    Tengah 2020 46.02 %, Jawa Tengah 2022 85 % → 65.5 %): no national active share is
    published. Documented assumption.
    """
    df = _reported("posyandu_active_pct", "province")
    shares = {c: v / 100.0 for c, v in zip(df["code"], df["value"])}
    default = float(np.mean(list(shares.values()))) if shares else 0.65
    return shares, default


def _kader_mean() -> float:
    """Mean kader per Posyandu: active kader (1,059,466) / registered Posyandu (303,416)."""
    kader = _reported("kader_active", "national")["value"].iloc[0]
    return float(kader) / _national_total()


def stunting_targets() -> pd.DataFrame:
    """Target stunting prevalence (%) per province and the survey it comes from.

    Latest published value in the order SSGI 2024, SKI 2023, SSGI 2022 (2021/2022 values of
    91 and 92 are skipped: they describe the provinces before the 2022 split); provinces
    without any value (e.g. 93 Papua Selatan) get the latest national value, with
    ``survey`` saying so (e.g. ``"SSGI 2024 (nasional)"``).
    Columns: province_code, value, survey.
    """
    df = _read_csv(STUNTING_FILE)
    df = df.loc[df["stunting_pct"].notna()]
    df = df.assign(year=df["year"].astype(int), value=df["stunting_pct"].astype(float),
                   kind=df["survey"].str.split().str[0])
    old = df["province_code"].isin(list(PAPUA_OLD)) & (df["year"] <= PAPUA_SPLIT_YEAR)
    df = df.loc[~old]
    order = {key: i for i, key in enumerate(STUNTING_SURVEY_ORDER)}
    df = df.assign(rank=[order.get((k, y), len(order)) for k, y in zip(df["kind"], df["year"])])
    df = df.loc[df["rank"] < len(order)].sort_values(["province_code", "rank"])
    best = df.drop_duplicates("province_code", keep="first")
    national = best.loc[best["province_code"] == "00"].iloc[0]
    provinces = code_list("provinsi")["code"]
    out = pd.DataFrame({"province_code": provinces.values})
    found = best.set_index("province_code")
    out["value"] = out["province_code"].map(found["value"])
    out["survey"] = out["province_code"].map(found["survey"])
    missing = out["value"].isna()
    out.loc[missing, "value"] = float(national["value"])
    out.loc[missing, "survey"] = f"{national['survey']} (nasional)"
    return out.reset_index(drop=True)


def internet_plan() -> pd.DataFrame:
    """How many villages without internet each province (or regency) gets.

    Columns: code (province or regency), level ("provinsi"/"kabupaten"), villages (count of
    villages to mark as without signal), source. Rules, in order:

    1. A province whose ``villages_blankspot`` regency list is complete (the regencies sum to
       the province figure of the same year — only Kalimantan Tengah 2025, 376 villages):
       exactly the listed number per regency (Diskominfo definition "blank spot").
    2. A province listed by BPS 2023 (``villages_no_cellular_signal``): that number of
       villages (capped at its villages in the code list).
    3. Other provinces: the *remaining* national share, (3,117 − listed) / (84,276 − villages
       of listed provinces), so that the national total stays near the published 3,117
       rather than applying the 3.7 % national average again to every unlisted province
       (which would give ~5,000 nationally). Documented assumption.
    """
    df = _read_csv(INTERNET_FILE)
    df = df.assign(year=df["year"].astype(int), value=df["value"].astype(float))
    villages = code_list("desa")
    per_prov = villages.groupby("province_code").size()
    per_reg = villages.assign(reg=villages["code"].str[:5]).groupby("reg").size()
    rows: list[dict] = []
    handled: set[str] = set()
    blank = df.loc[df["metric"] == "villages_blankspot"]
    for (code, year), prov in blank.loc[blank["level"] == "province"].groupby(["code", "year"]):
        regs = blank.loc[(blank["level"] == "regency") & (blank["year"] == year)
                         & blank["code"].str.startswith(code + ".")]
        regs = regs.drop_duplicates("code", keep="last")
        if code in handled or regs.empty or regs["value"].sum() != prov["value"].iloc[0]:
            continue
        for rc, v in zip(regs["code"], regs["value"]):
            rows.append({"code": rc, "level": "kabupaten",
                         "villages": int(min(v, per_reg.get(rc, 0))),
                         "source": f"villages_blankspot {year}"})
        handled.add(code)
    sig = df.loc[(df["metric"] == "villages_no_cellular_signal")]
    latest_year = sig["year"].max()
    sig = sig.loc[sig["year"] == latest_year]
    nat_none = float(sig.loc[sig["level"] == "national", "value"].iloc[0])
    tot = df.loc[(df["metric"] == "villages_total") & (df["level"] == "national")
                 & (df["year"] == latest_year), "value"]
    nat_total = float(tot.iloc[0]) if len(tot) else float(len(villages))
    listed = sig.loc[sig["level"] == "province"].set_index("code")["value"]
    listed = listed[listed.index.isin(per_prov.index)]
    rest_share = max(0.0, nat_none - listed.sum()) / max(
        1.0, nat_total - per_prov.reindex(listed.index).sum())
    for code, n in per_prov.items():
        if code in handled:
            continue
        if code in listed.index:
            rows.append({"code": code, "level": "provinsi",
                         "villages": int(min(listed[code], n)),
                         "source": f"villages_no_cellular_signal {latest_year}"})
        else:
            rows.append({"code": code, "level": "provinsi",
                         "villages": int(round(rest_share * n)),
                         "source": f"sisa nasional {latest_year} ({rest_share:.2%})"})
    return pd.DataFrame(rows, columns=["code", "level", "villages", "source"])


def _source_files() -> list[Path]:
    root = data_dir()
    files = [root / CODE_LISTS[lv] for lv in ("provinsi", "kabupaten", "desa")]
    files += [data_path(f) for f in (POSYANDU_FILE, POPULATION_FILE, STUNTING_FILE,
                                     INTERNET_FILE)]
    return files + [cache_file(lv) for lv in ("kecamatan", "desa") if has_level(lv)]


# ---------------------------------------------------------------- allocation

def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` summing exactly to ``total`` (Hamilton)."""
    weights = np.asarray(weights, dtype=float)
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    quota = total * weights / weights.sum()
    base = np.floor(quota).astype(np.int64)
    left = int(total - base.sum())
    if left:
        order = np.lexsort((np.arange(len(quota)), -(quota - base)))
        base[order[:left]] += 1
    return base


def posyandu_per_regency() -> pd.DataFrame:
    """Seed-independent number of Posyandu per regency (all of Indonesia).

    Every village gets one; the rest of a province's total is apportioned to its regencies
    by population (largest remainder). Province totals: the published total where one
    exists (posyandu_reported.csv); the other provinces share the remainder of the national
    total (303,416) by population, on top of one per village.
    Columns: regency_code, province_code, villages, posyandu, population.
    """
    villages = code_list("desa")
    reg = villages.assign(regency_code=villages["code"].str[:5]).groupby(
        "regency_code").agg(province_code=("province_code", "first"), villages=("code", "size"))
    pop = _read_csv(POPULATION_FILE).set_index("code")["pop_total"].astype(float)
    reg["population"] = reg.index.map(pop).fillna(0).astype(float)
    reg = reg.reset_index()
    national = _national_total()
    known = _province_totals()
    n_villages = int(reg["villages"].sum())
    if national < n_villages:
        raise ValueError("jumlah Posyandu nasional lebih kecil dari jumlah desa")
    extra = np.zeros(len(reg), dtype=np.int64)
    in_known = reg["province_code"].isin(known).to_numpy()
    for code, total in known.items():
        m = (reg["province_code"] == code).to_numpy()
        if not m.any():
            continue
        extra[m] = _largest_remainder(max(0, total - int(reg.loc[m, "villages"].sum())),
                                      reg.loc[m, "population"].to_numpy())
    rest = national - n_villages - int(extra[in_known].sum())
    extra[~in_known] = _largest_remainder(max(0, rest), reg.loc[~in_known, "population"].to_numpy())
    reg["posyandu"] = reg["villages"].to_numpy() + extra
    return reg[["regency_code", "province_code", "villages", "posyandu", "population"]]
