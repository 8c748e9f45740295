"""Sample Posyandu registry generated from the real code list and boundaries.

There is no public Posyandu registry with coordinates, so the project generates one. Every
record carries ``sampel=True`` and is fictitious; only the *aggregates* are tied to
published figures (all read from the data directory's ``indicators/`` tables, never typed
in here):

* totals — 303,416 Posyandu nationally (Kemenkes, Jan 2023) and the latest published
  province totals (Kalimantan Tengah 2,573 in 2020, Jawa Tengah 49,883 in 2022) from
  ``posyandu_reported.csv``; every village gets at least one Posyandu, the rest are
  apportioned to regencies by population (``population_area_2024.csv``) and then drawn to
  villages (multinomial);
* stunting — ``sum(balita_stunting) / sum(balita_ditimbang)`` of each province equals its
  latest published prevalence (SSGI 2024, else SKI 2023, else SSGI 2022; national latest
  where none), see :func:`stunting_targets`;
* internet — Kalimantan Tengah: exactly the published number of blank-spot villages per
  regency (Diskominfo 2025, 376 villages); elsewhere the BPS 2023 villages without cellular
  signal, as whole villages, see :func:`internet_plan`;
* active share and strata — published Kalimantan Tengah / Jawa Tengah figures, see
  :func:`generate_posyandu`.

Generation is deterministic for a seed and vectorised with numpy/shapely. Each province
draws from its own random stream (``numpy.random.default_rng([seed, province])``), so the
records of a province are identical whether it is generated alone or as part of the
national set.
"""
from __future__ import annotations

import functools
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import cache
from geo.config import CODE_LISTS, data_dir, data_path, read_text_table
from geo.indicators.published import PAPUA_OLD, PAPUA_SPLIT_YEAR
from geo.regions.boundaries import cache_file, code_list, has_level, scope_provinces
from geo.registry import schema as registry
from geo.registry.schema import COLUMNS, COUNTS, FLAGS, SERVICES, STRATA

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


def _gumbel_top_k(groups: np.ndarray, k_per_group: np.ndarray, weights: np.ndarray,
                  rng: np.random.Generator) -> np.ndarray:
    """Boolean mask choosing exactly ``k_per_group[g]`` items of every group g (integers
    0..G-1), weighted, without replacement (Gumbel top-k)."""
    keys = np.log(np.maximum(weights, 1e-12)) + rng.gumbel(size=len(groups))
    order = np.lexsort((-keys, groups))
    g_sorted = groups[order]
    start = np.r_[0, np.flatnonzero(g_sorted[1:] != g_sorted[:-1]) + 1]
    rank = np.arange(len(groups)) - np.repeat(start, np.diff(np.r_[start, len(groups)]))
    k = np.asarray(k_per_group)[g_sorted]
    chosen = np.zeros(len(groups), dtype=bool)
    chosen[order] = rank < k
    return chosen


# ---------------------------------------------------------------- points

def sample_points(geoms: np.ndarray, index: np.ndarray, rng: np.random.Generator,
                  rounds: int = 8, decimals: int = 6) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Uniform random points inside ``geoms[index[i]]`` for every i (vectorised).

    Each point first picks one part of its (multi)polygon with probability proportional to
    the part's area, then is drawn by rejection sampling in that part's bounding box with
    ``shapely.contains_xy`` on prepared geometries: each round draws ~3 expected hits per
    pending point (more candidates for parts that fill little of their box), keeping the
    first candidate inside. Coordinates are rounded to ``decimals`` *before* the test, so
    the rounded coordinates (what a CSV holds) are inside. Points still pending after
    ``rounds`` get ``point_on_surface`` of the whole polygon (very thin polygons).
    Returns x, y and the fallback mask.
    """
    geoms = np.asarray(geoms, dtype=object)
    index = np.asarray(index, dtype=np.int64)
    n = len(index)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    if n == 0:
        return x, y, np.zeros(0, dtype=bool)
    used, inv = np.unique(index, return_inverse=True)
    parts, owner_geom = shapely.get_parts(geoms[used], return_index=True)
    area = shapely.area(parts)
    # Area-weighted choice of a part for every point (inverse CDF within its polygon).
    cum = np.cumsum(area)
    first_part = np.searchsorted(owner_geom, np.arange(len(used)), side="left")
    last_part = np.searchsorted(owner_geom, np.arange(len(used)), side="right") - 1
    start = np.where(first_part > 0, cum[np.maximum(first_part - 1, 0)], 0.0)
    start[first_part == 0] = 0.0
    end = cum[last_part]
    u = start[inv] + rng.random(n) * (end[inv] - start[inv])
    part = np.clip(np.searchsorted(cum, u, side="right"), first_part[inv], last_part[inv])
    shapely.prepare(parts)
    bounds = shapely.bounds(parts)
    box = (bounds[:, 2] - bounds[:, 0]) * (bounds[:, 3] - bounds[:, 1])
    fill = np.clip(area / np.where(box > 0, box, 1.0), 1e-4, 1.0)
    pending = np.arange(n)
    for _ in range(rounds):
        if pending.size == 0:
            break
        k = np.clip(np.ceil(3.0 / fill[part[pending]]), 1, 400).astype(np.int64)
        owner = np.repeat(pending, k)
        g = part[owner]
        cx = np.round(rng.uniform(bounds[g, 0], bounds[g, 2]), decimals)
        cy = np.round(rng.uniform(bounds[g, 1], bounds[g, 3]), decimals)
        ok = np.flatnonzero(shapely.contains_xy(parts[g], cx, cy))
        if ok.size:
            owners, first = np.unique(owner[ok], return_index=True)
            x[owners] = cx[ok[first]]
            y[owners] = cy[ok[first]]
        pending = pending[np.isnan(x[pending])]
    fallback = np.zeros(n, dtype=bool)
    if pending.size:
        whole = geoms[index[pending]]
        pts = shapely.point_on_surface(whole)
        px, py = shapely.get_x(pts), shapely.get_y(pts)
        rx, ry = np.round(px, decimals), np.round(py, decimals)
        inside = shapely.contains_xy(whole, rx, ry)
        x[pending] = np.where(inside, rx, px)
        y[pending] = np.where(inside, ry, py)
        fallback[pending] = True
    return x, y, fallback


# ---------------------------------------------------------------- generation

def _load_geometry(provinces: list[str], national: bool):
    """Village polygons (None when the data directory has none, e.g. after a plain
    ``python -m geo fetch``: every point then goes inside its kecamatan) and kecamatan."""
    from geo.regions.boundaries import boundaries, has_level
    scope = None if national else provinces
    desa = boundaries("desa", scope) if has_level("desa") else None
    return desa, boundaries("kecamatan", scope)


def generate_posyandu(scope: str = NATIONAL, seed: int = 0) -> gpd.GeoDataFrame:
    """Generate a sample Posyandu registry (every record ``sampel=True``).

    ``scope``: ``"nasional"`` or a province code (``"62"``). Columns: ``geo.registry.schema.COLUMNS``
    + ``sampel`` + geometry (Point, EPSG:4326), with the dtypes ``geo.registry.schema.validate``
    produces. Rows sorted by id (``SMP-<province>-<nnnnnn>``, in village-code order).

    Allocation (:func:`posyandu_per_regency`): one Posyandu per village, the rest to regencies
    by population and within a regency to villages (multinomial; a kelurahan weighs
    ``KELURAHAN_WEIGHT``). Totals: 303,416 nationally; a province with a published total uses
    it (Kalimantan Tengah 2,573, Jawa Tengah 49,883); other provinces get their villages plus
    a population share of the rest, the same number whether generated alone or nationally.

    Location: uniformly inside the village polygon; villages without one (360 nationally)
    inside their kecamatan polygon (see :func:`sample_points`).

    Attributes (assumptions marked *):
    - ``strata``: shares of the latest published complete strata counts (Kalimantan Tengah
      2018: 917/1,167/444/59) for every province*.
    - ``aktif``: exactly round(share × n) posts per province, share = published active share
      (Kalimantan Tengah 2020 46.02 %, Jawa Tengah 2022 85 %), elsewhere the mean of those*;
      higher strata are more likely to be active (``STRATA_ACTIVE_WEIGHT``)*.
    - ``jumlah_kader``: 1 + Poisson, national mean = active kader / Posyandu (1,059,466 /
      303,416 ≈ 3.49), scaled by stratum*, so most posts are below the 5-kader standard;
      ``kader_terlatih`` ~ Binomial(jumlah_kader, 0.6)*.
    - ``balita_sasaran``: regency population × 0.085* / Posyandu in the regency, with gamma
      noise; ``balita_ditimbang`` ~ Binomial(sasaran, p), p ~ Beta around 0.8*.
    - ``balita_stunting``: binomial around the province target with regency and post
      variation, then corrected (multivariate hypergeometric adds/removes children, never above
      ``balita_ditimbang``) so the province prevalence equals :func:`stunting_targets`.
    - ``internet``: False for every Posyandu of the villages chosen by :func:`internet_plan`
      (exactly the published counts; desa preferred over kelurahan*), True elsewhere.
    - services: ``SERVICE_SHARE``*, non-health services more often in active posts.
    """
    provinces = scope_provinces(scope)
    national = scope == NATIONAL
    villages = code_list("desa")
    villages = villages.loc[villages["province_code"].isin(provinces)].sort_values("code")
    desa_geo, kec_geo = _load_geometry(provinces, national)
    alloc = posyandu_per_regency()
    alloc = alloc.loc[alloc["province_code"].isin(provinces)]
    targets = stunting_targets().set_index("province_code")
    plan = internet_plan()
    strata_p, _ = _strata_probabilities()
    active_share, active_default = _active_shares()
    kader_mean = _kader_mean()

    desa_by_prov = {} if desa_geo is None else \
        dict(tuple(desa_geo.groupby("province_code", sort=False)))
    kec_by_prov = dict(tuple(kec_geo.groupby("province_code", sort=False)))
    v_by_prov = dict(tuple(villages.groupby("province_code", sort=False)))
    a_by_prov = dict(tuple(alloc.groupby("province_code", sort=False)))
    frames = []
    for code in provinces:
        if code not in v_by_prov:
            continue
        rng = np.random.default_rng([int(seed), int(code)])
        frames.append(_generate_province(
            code, v_by_prov[code], a_by_prov[code], desa_by_prov.get(code),
            kec_by_prov.get(code), rng,
            stunting=float(targets.loc[code, "value"]) / 100.0,
            plan=plan, strata_p=strata_p,
            active=active_share.get(code, active_default), kader_mean=kader_mean))
    data = pd.concat(frames, ignore_index=True)
    return _finish(data)


def _generate_province(code, villages, alloc, desa_geo, kec_geo, rng, *, stunting, plan,
                       strata_p, active, kader_mean) -> pd.DataFrame:
    vcodes = villages["code"].to_numpy()
    vreg = villages["code"].str[:5].to_numpy(dtype=object)
    nv = len(vcodes)
    # --- allocation: 1 per village + extra per regency, drawn to villages by weight
    extra_reg = (alloc.set_index("regency_code")["posyandu"]
                 - alloc.set_index("regency_code")["villages"])
    w = np.where(villages["kind"].to_numpy() == "kelurahan", KELURAHAN_WEIGHT, 1.0)
    reg_codes, reg_inv = np.unique(vreg, return_inverse=True)
    cum = np.cumsum(w)
    reg_end = np.zeros(len(reg_codes))
    np.maximum.at(reg_end, reg_inv, cum)
    reg_start = reg_end - np.bincount(reg_inv, weights=w)
    n_extra = extra_reg.reindex(reg_codes).fillna(0).astype(np.int64).to_numpy()
    which = np.repeat(np.arange(len(reg_codes)), n_extra)
    u = reg_start[which] + rng.random(len(which)) * (reg_end[which] - reg_start[which])
    picked = np.minimum(np.searchsorted(cum, u, side="right"), nv - 1)
    per_village = 1 + np.bincount(picked, minlength=nv)
    vi = np.repeat(np.arange(nv), per_village)        # village index of every post
    n = len(vi)
    kode = vcodes[vi]
    reg_of = reg_inv[vi]

    # --- points: in the village polygon, else in the kecamatan polygon
    geom_list, gidx = [], np.full(n, -1, dtype=np.int64)
    offset = 0
    if desa_geo is not None and len(desa_geo):
        pos = pd.Index(desa_geo["code"]).get_indexer(kode)
        has = pos >= 0
        gidx[has] = pos[has]
        geom_list.append(np.asarray(desa_geo.geometry.array))
        offset = len(desa_geo)
    missing = gidx < 0
    if missing.any():
        kcodes = pd.Series(kode[missing]).str[:8].to_numpy(dtype=object)
        kpos = pd.Index(kec_geo["code"]).get_indexer(kcodes) if kec_geo is not None else \
            np.full(len(kcodes), -1)
        if (kpos < 0).any():
            raise ValueError(f"tidak ada poligon desa maupun kecamatan untuk "
                             f"{sorted(set(kode[missing][kpos < 0]))[:5]}")
        gidx[missing] = offset + kpos
        geom_list.append(np.asarray(kec_geo.geometry.array))
    geoms = np.concatenate(geom_list)
    x, y, _ = sample_points(geoms, gidx, rng)

    # --- ids and names (posts are in village-code order)
    first = np.r_[0, np.cumsum(per_village)[:-1]]
    ordinal = np.arange(n) - np.repeat(first, per_village) + 1
    words = np.asarray(NAME_WORDS, dtype=object)[rng.integers(0, len(NAME_WORDS), n)]
    ids = np.char.add(f"SMP-{code}-", np.char.zfill(np.arange(1, n + 1).astype(str), 6))
    names = ("Posyandu " + pd.Series(words) + " " + pd.Series(ordinal).astype(str)).to_numpy()

    # --- strata and aktif
    strata_idx = rng.choice(len(STRATA), size=n, p=strata_p)
    strata = np.asarray(STRATA, dtype=object)[strata_idx]
    aw = np.array([STRATA_ACTIVE_WEIGHT[s] for s in STRATA])[strata_idx]
    n_active = int(round(active * n))
    aktif = _gumbel_top_k(np.zeros(n, dtype=np.int64), np.array([n_active]), aw, rng)

    # --- kader
    kf = np.array([STRATA_KADER_FACTOR[s] for s in STRATA])
    kf = kf / (strata_p * kf).sum()                 # keeps the expected mean at kader_mean
    lam = np.maximum(kader_mean - 1.0, 0.0) * kf[strata_idx]
    kader = 1 + rng.poisson(lam)
    terlatih = rng.binomial(kader, TRAINED_SHARE)

    # --- children: target from regency population, weighed, stunted
    posts_reg = np.bincount(reg_of, minlength=len(reg_codes))
    pop = alloc.set_index("regency_code")["population"].reindex(reg_codes).fillna(0).to_numpy()
    mean_sasaran = pop * BALITA_SHARE / np.maximum(posts_reg, 1)
    noise = rng.gamma(6.0, 1.0 / 6.0, n)
    sasaran = np.maximum(5, np.round(mean_sasaran[reg_of] * noise)).astype(np.int64)
    a = 20.0 * WEIGHED_SHARE                        # Beta(16, 4): mean WEIGHED_SHARE
    p_weigh = rng.beta(a, 20.0 - a, n)
    ditimbang = rng.binomial(sasaran, p_weigh)
    reg_factor = rng.lognormal(-0.25 ** 2 / 2, 0.25, len(reg_codes))
    post_factor = rng.lognormal(-0.3 ** 2 / 2, 0.3, n)
    p_st = np.clip(stunting * reg_factor[reg_of] * post_factor, 0.0, 0.9)
    stunted = rng.binomial(ditimbang, p_st)
    stunted = _match_total(stunted, ditimbang, int(round(stunting * ditimbang.sum())), rng)

    # --- internet: whole villages without signal
    internet_v = np.ones(nv, dtype=bool)
    reg_plan = plan.loc[(plan["level"] == "kabupaten") & plan["code"].str.startswith(code + ".")]
    if len(reg_plan):
        groups = reg_inv
        k_idx = reg_plan.set_index("code")["villages"].reindex(reg_codes).fillna(0) \
            .astype(np.int64).to_numpy()
    else:
        row = plan.loc[(plan["level"] == "provinsi") & (plan["code"] == code)]
        groups = np.zeros(nv, dtype=np.int64)
        k_idx = np.array([int(row["villages"].iloc[0]) if len(row) else 0])
    dw = np.where(villages["kind"].to_numpy() == "kelurahan", 0.3, 1.0)
    internet_v[_gumbel_top_k(groups, k_idx, dw, rng)] = False
    internet = internet_v[vi]

    # --- services
    services = {}
    for col in SERVICES:
        p = SERVICE_SHARE[col]
        if col != "layanan_kesehatan":
            p = np.where(aktif, min(1.0, p * SERVICE_ACTIVE_BOOST), p / SERVICE_ACTIVE_BOOST)
        services[col] = rng.random(n) < p

    return pd.DataFrame({
        "id": ids.astype(object), "nama": names, "kode_desa": kode, "lat": y, "lon": x,
        "strata": strata, "aktif": aktif, "jumlah_kader": kader, "kader_terlatih": terlatih,
        "balita_sasaran": sasaran, "balita_ditimbang": ditimbang, "balita_stunting": stunted,
        "internet": internet, **services,
    })


def _match_total(counts: np.ndarray, caps: np.ndarray, target: int,
                 rng: np.random.Generator) -> np.ndarray:
    """Add or remove units so ``counts.sum() == target`` with ``0 <= counts <= caps``.

    The units are spread at random over the posts in proportion to their room (a
    multivariate hypergeometric draw), so no post exceeds its cap or goes below zero.
    """
    counts = counts.astype(np.int64).copy()
    diff = int(target - counts.sum())
    if diff > 0:
        room = caps - counts
        diff = min(diff, int(room.sum()))
        counts += rng.multivariate_hypergeometric(room, diff)
    elif diff < 0:
        counts -= rng.multivariate_hypergeometric(counts, min(-diff, int(counts.sum())))
    return counts


def _finish(data: pd.DataFrame) -> gpd.GeoDataFrame:
    """Schema order and the dtypes geo.registry.schema.validate produces."""
    data = data.copy()
    for col in ("id", "nama", "kode_desa", "strata"):
        data[col] = pd.Series(data[col].to_numpy(dtype=object), index=data.index).astype("str")
    data["lat"] = data["lat"].astype(float)
    data["lon"] = data["lon"].astype(float)
    for col in COUNTS:
        data[col] = data[col].astype("Int64")
    for col in FLAGS:
        data[col] = data[col].astype("boolean")
    data["sampel"] = np.ones(len(data), dtype=bool)
    data = data[[*COLUMNS, "sampel"]]
    return gpd.GeoDataFrame(data, geometry=gpd.points_from_xy(data["lon"], data["lat"]),
                            crs=CRS)


# ---------------------------------------------------------------- cache

def _cache_path(scope: str, seed: int) -> Path:
    key = cache.key_for(_source_files(), extra=f"posyandu|{GENERATOR_VERSION}|{scope}|{seed}")
    return cache.path(f"sample-posyandu-{scope}-{seed}-{key}.parquet")


def sample_posyandu(scope: str = NATIONAL, seed: int = 0) -> gpd.GeoDataFrame:
    """The sample registry for (scope, seed): from the cache, else generated and cached."""
    scope_provinces(scope)
    path = _cache_path(scope, seed)
    if path.exists():
        # the attributes only: the points are rebuilt from lat/lon (faster than WKB)
        return _finish(pd.read_parquet(path, columns=[*COLUMNS, "sampel"]))
    gdf = generate_posyandu(scope, seed)
    cache.write_parquet_atomic(gdf, path)
    return gdf


# ---------------------------------------------------------------- writing

def _flag_text(series: pd.Series) -> pd.Series:
    return series.map({True: "ya", False: "tidak"}).astype(object).where(series.notna(), None)


def registry_table(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """The registry as a CSV/XLSX table: schema order, lat/lon to 6 decimals, ya/tidak."""
    table = registry.to_frame(gdf).copy()
    for col in ("lat", "lon"):
        table[col] = table[col].astype(float).round(6)
    for col in (*FLAGS, "sampel"):
        if col in table:
            table[col] = _flag_text(table[col].astype("boolean"))
    return table


def write_registry(gdf: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write a registry by extension: .csv, .xlsx, .geojson, .parquet (GeoParquet).

    CSV/XLSX hold the schema's columns in order (``geo.registry.schema.to_frame``), coordinates with
    6 decimals and flags as ``ya``/``tidak``, so ``geo.registry.schema.read`` reads them back as is.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        registry_table(gdf).to_csv(path, index=False, encoding="utf-8", float_format="%.6f")
    elif suffix == ".xlsx":
        try:
            import xlsxwriter  # noqa: F401  (much faster than openpyxl for 300k rows)
            engine = "xlsxwriter"
        except ImportError:
            engine = "openpyxl"
        registry_table(gdf).to_excel(path, index=False, engine=engine, sheet_name="posyandu")
    elif suffix in (".geojson", ".json"):
        gdf.to_file(path, driver="GeoJSON", engine="pyogrio")
    elif suffix == ".parquet":
        gdf.to_parquet(path, index=False, compression="zstd")
    else:
        raise ValueError(f"jenis berkas tidak didukung: {path.suffix} "
                         "(gunakan .csv, .xlsx, .geojson atau .parquet)")
    return path


def summary(gdf: gpd.GeoDataFrame) -> dict:
    """Headline counts of a registry (for the CLI and logs)."""
    dit = int(gdf["balita_ditimbang"].sum())
    st = int(gdf["balita_stunting"].sum())
    return {
        "posyandu": int(len(gdf)),
        "provinsi": int(gdf["kode_desa"].str[:2].nunique()),
        "desa": int(gdf["kode_desa"].nunique()),
        "aktif": int(gdf["aktif"].sum()),
        "jumlah_kader": int(gdf["jumlah_kader"].sum()),
        "balita_ditimbang": dit,
        "balita_stunting": st,
        "prevalensi_stunting_pct": round(100.0 * st / dit, 2) if dit else None,
        "desa_tanpa_internet": int(gdf.loc[~gdf["internet"].astype(bool), "kode_desa"].nunique()),
        "sampel": bool(gdf["sampel"].all()),
    }


def demo_main(scope: str = "62", seed: int = 0, out: str | Path = "posyandu_sampel.csv") -> dict:
    """Generate (or take from the cache) a sample registry, write it to ``out``, summarise.

    For ``python -m geo demo [--scope] [--seed] --out FILE``. Returns the summary counts
    plus ``out`` (path written), ``scope``, ``seed`` and ``detik`` (seconds taken).
    """
    t0 = time.perf_counter()
    gdf = sample_posyandu(scope, seed)
    path = write_registry(gdf, out)
    return {"scope": scope, "seed": int(seed), "out": str(path), **summary(gdf),
            "detik": round(time.perf_counter() - t0, 2)}
