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

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import cache
from geo.regions.boundaries import code_list, scope_provinces
from geo.registry.schema import COLUMNS, COUNTS, FLAGS, SERVICES, STRATA
from geo.sample.points import _gumbel_top_k, sample_points
from geo.sample.targets import (
    BALITA_SHARE,
    CRS,
    GENERATOR_VERSION,
    KELURAHAN_WEIGHT,
    NAME_WORDS,
    NATIONAL,
    SERVICE_ACTIVE_BOOST,
    SERVICE_SHARE,
    STRATA_ACTIVE_WEIGHT,
    STRATA_KADER_FACTOR,
    TRAINED_SHARE,
    WEIGHED_SHARE,
    _active_shares,
    _kader_mean,
    _source_files,
    _strata_probabilities,
    internet_plan,
    posyandu_per_regency,
    stunting_targets,
)

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
    + ``sampel`` + geometry (Point, EPSG:4326), with the dtypes ``geo.registry.validate``
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
    """Schema order and the dtypes geo.registry.validate produces."""
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
