"""Intervals, RSE, BPS reliability and rank ranges (issue 26), checked against an
independent computation (scipy's Wilson interval, the RSE and rank-range definitions written
out loop by loop) on a Kalimantan Tengah registry where one kabupaten has only 2 Posyandu."""
from __future__ import annotations

import io
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from geo.indicators import registry as indicators
from geo.regions import boundaries as regions
from geo.stats import intervals, ranking, rankrange

SMALL = "62.09"        # Lamandau: only two Posyandu in this registry


@pytest.fixture(scope="module")
def registry() -> pd.DataFrame:
    """14 kabupaten/kota of Kalimantan Tengah; every one has 12 Posyandu with 40–80 children
    weighed, except Lamandau with 2 Posyandu of 6 and 5 children."""
    desa = regions.code_list("desa")
    desa = desa.loc[desa["code"].str.startswith("62.")]
    rng = np.random.default_rng(26)
    rows = []
    for kab in sorted(desa["code"].str[:5].unique()):
        villages = desa.loc[desa["code"].str.startswith(kab + "."), "code"].to_numpy()
        n_pos = 2 if kab == SMALL else 12
        for i in range(n_pos):
            weighed = (6, 5)[i] if kab == SMALL else int(rng.integers(40, 81))
            share = 0.10 + 0.02 * (int(kab[3:]) % 9)
            stunted = 2 if kab == SMALL else int(rng.binomial(weighed, share))
            rows.append({"kode_agregasi": villages[i % len(villages)],
                         "balita_ditimbang": weighed, "balita_stunting": stunted,
                         "internet": bool(rng.random() < 0.7), "jumlah_kader": 5,
                         "kader_terlatih": int(rng.integers(0, 6))})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def long(registry) -> pd.DataFrame:
    return indicators.aggregate(registry, levels=("kabupaten",))


def _scipy_wilson(x: int, n: int) -> tuple[float, float]:
    ci = binomtest(int(x), int(n)).proportion_ci(confidence_level=0.95, method="wilson")
    return ci.low, ci.high


def test_wilson_interval_and_rse_match_an_independent_computation(long, registry):
    for ind_id in ("stunting_registri", "tanpa_internet_pct", "kader_terlatih_pct"):
        rows = long.loc[long["indicator"] == ind_id]
        assert len(rows) == 14
        for r in rows.itertuples():
            x, n = r.numerator, r.denominator
            low, high = _scipy_wilson(x, n)
            assert r.ci_low == pytest.approx(100 * low, abs=1e-4)
            assert r.ci_high == pytest.approx(100 * high, abs=1e-4)
            p = x / n
            expected = 100 * math.sqrt(p * (1 - p) / n) / p if p > 0 else float("nan")
            assert r.rse == pytest.approx(expected, rel=1e-5, nan_ok=True)
            assert r.ci_note == intervals.CI_WILSON
            assert r.ci_low <= r.value <= r.ci_high
    # the small kabupaten: 2 of 11 children — a wide interval, flagged
    small = long.loc[(long["indicator"] == "stunting_registri") & (long["code"] == SMALL)].iloc[0]
    assert (small.numerator, small.denominator) == (4.0, 11.0)
    assert small.ci_high - small.ci_low > 40
    assert bool(small.unstable)
    # ratios are no proportions: no interval
    ratio = long.loc[long["indicator"] == "kader_per_posyandu"]
    assert ratio["ci_low"].isna().all() and ratio["ci_note"].isna().all()


def test_wilson_edge_cases_stay_inside_0_1():
    low, high = intervals.wilson([0, 5, 3, np.nan], [5, 5, 0, 10])
    assert low[0] == 0 and high[0] == pytest.approx(_scipy_wilson(0, 5)[1])
    assert high[1] == 1 and low[1] == pytest.approx(_scipy_wilson(5, 5)[0])
    assert np.isnan(low[2]) and np.isnan(high[3])
    assert np.isnan(intervals.rse([0], [100])[0])          # p = 0: RSE undefined


def test_bps_reliability_classes():
    # RSE 25 → akurat, 25.01 and 50 → hati-hati, 50.01 → tidak akurat; a denominator below
    # the minimum is tidak akurat whatever its RSE; no RSE on a large denominator: no class
    cls = intervals.reliability([10, 25, 25.01, 50, 50.01, 10, np.nan],
                                [100, 100, 100, 100, 100, 5, 300])
    assert list(cls) == ["akurat", "akurat", "hati-hati", "hati-hati", "tidak akurat",
                         "tidak akurat", ""]
    # the table gives each proportion its class; the 2-Posyandu kabupaten is tidak akurat
    joined = pd.DataFrame({"kode_agregasi": ["62.71.01.1001"] * 3 + ["62.09.01.2001"],
                           "balita_ditimbang": [100, 100, 100, 11],
                           "balita_stunting": [20, 25, 30, 4]})
    table = indicators.table(indicators.aggregate(joined, levels=("kabupaten",)), "kabupaten")
    st = table.loc[table["indicator"] == "stunting_registri"].set_index("code")
    assert st.loc["62.71", "reliability"] == "akurat"        # 75/300: RSE 11.5 %
    assert st.loc["62.09", "reliability"] == "tidak akurat"  # n = 11 < 20
    assert (table.loc[table["indicator"] == "posyandu", "reliability"] == "").all()


def _brute_ranges(lo, hi, worse_high):
    out = []
    for i in range(len(lo)):
        if worse_high:
            low = 1 + sum(1 for j in range(len(lo)) if lo[j] > hi[i])
            high = sum(1 for j in range(len(lo)) if hi[j] >= lo[i])
        else:
            low = 1 + sum(1 for j in range(len(lo)) if hi[j] < lo[i])
            high = sum(1 for j in range(len(lo)) if lo[j] <= hi[i])
        out.append((low, high))
    return out


def test_rank_ranges_match_the_definition_and_contain_the_rank(long):
    names = regions.code_list("kabupaten").set_index("code")["name"]
    for ind_id in ("stunting_registri", "kader_terlatih_pct"):     # higher worse / better
        ind = indicators.get(ind_id)
        table = ranking.rank_table(long, ind_id, "kabupaten", "Registri", parent="62",
                                   names=names)
        table = rankrange.with_uncertainty(table, long, ind_id, "kabupaten", "Registri", "62")
        assert list(table.columns[-6:]) == ["ci_low", "ci_high", "rse", "rank_low",
                                            "rank_high", "catatan"]
        lo, hi = table["ci_low"].tolist(), table["ci_high"].tolist()
        expected = _brute_ranges(lo, hi, ind.higher_is_worse)
        assert list(zip(table["rank_low"], table["rank_high"])) == expected
        assert (table["rank_low"] <= table["rank"]).all()
        assert (table["rank"] <= table["rank_high"]).all()
        # the kabupaten with 11 children weighed may sit almost anywhere
        small = table.set_index("code").loc[SMALL]
        assert small["rank_high"] - small["rank_low"] >= 8
    words = rankrange.describe_range(small["rank_low"], small["rank_high"], 14)
    assert words == f"peringkat {small['rank_low']}–{small['rank_high']} dari 14"
    assert rankrange.describe_range(3, 3, 14, "en") == "rank 3 of 14"
    tied = rankrange.tied(table, SMALL)
    assert len(tied) >= 8 and SMALL not in tied
    assert all(SMALL in rankrange.tied(table, c) for c in tied)


def test_published_values_get_no_invented_interval():
    long = indicators.published_long()
    st = long.loc[long["indicator"] == "stunting"]
    assert st["ci_low"].isna().all() and st["rse"].isna().all()
    assert (st["ci_note"] == intervals.CI_NOT_PUBLISHED).all()


def test_cli_rank_csv_carries_intervals_and_rank_ranges():
    out = subprocess.run([sys.executable, "-m", "geo", "rank", "--indicator", "stunting",
                          "--level", "provinsi", "--survey", "SSGI 2022", "--format", "csv"],
                         capture_output=True, text=True, check=True)
    table = pd.read_csv(io.StringIO(out.stdout), dtype={"code": str})
    assert list(table.columns) == ["code", "name", "value", "rank", "of", "ci_low", "ci_high",
                                   "rse", "rank_low", "rank_high", "catatan"]
    ranked = table.loc[table["rank"].notna()]
    assert ranked["ci_low"].isna().all() and ranked["rank_low"].isna().all()
    assert ranked["catatan"].str.contains("interval tidak dipublikasikan").all()
