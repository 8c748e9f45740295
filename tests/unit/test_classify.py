"""Class breaks for choropleths (geo.stats.classify): fixed WHO–UNICEF bins, data-driven breaks,
edge cases (ties, no values, one value), labels and colour schemes."""
from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from geo.indicators import registry as I
from geo.stats import classify as C

STUNTING = I.get("stunting")
KADER = I.get("kader_per_posyandu")       # higher is better, 2 decimals
POSYANDU = I.get("posyandu")              # count, 0 decimals
INTERNET = I.get("tanpa_internet_pct")    # higher is worse, %

HEX = re.compile(r"^#[0-9a-f]{6}$")


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield


# ---------------------------------------------------------------- WHO–UNICEF bins

@pytest.mark.parametrize("value,cls", [
    (0.0, 0), (2.4999, 0), (2.5, 1), (9.999, 1), (10.0, 2), (19.99, 2), (20.0, 3),
    (29.999, 3), (30.0, 4), (45.0, 4), (100.0, 4), (np.nan, -1)])
def test_who_bins_exact_boundaries(value, cls):
    c = C.classify(pd.Series([5.0, 12.0, 31.0]), STUNTING)
    assert c.class_of(np.array([value]))[0] == cls


@pytest.mark.parametrize("method", ["fisher_jenks", "quantiles"])
def test_stunting_always_uses_the_fixed_bins(method):
    rng = np.random.default_rng(1)
    a = C.classify(pd.Series(rng.uniform(20, 40, 50)), STUNTING, method=method, k=3)
    b = C.classify(pd.Series(rng.uniform(5, 15, 7)), STUNTING, method=method)
    empty = C.classify(pd.Series([np.nan, np.nan]), STUNTING, method=method)
    for c in (a, b, empty):
        assert list(c.bins) == [2.5, 10.0, 20.0, 30.0]
        assert list(c.labels_id) == ["< 2,5 %", "2,5–<10 %", "10–<20 %", "20–<30 %", "≥ 30 %"]
        assert list(c.labels_en) == ["< 2.5 %", "2.5–<10 %", "10–<20 %", "20–<30 %", "≥ 30 %"]
    assert list(empty.class_of([np.nan, 3.0])) == [-1, 1]


def test_registry_stunting_has_the_same_bins():
    c = C.classify(pd.Series([1.0, 50.0]), I.get("stunting_registri"))
    assert list(c.bins) == [2.5, 10.0, 20.0, 30.0]


# ---------------------------------------------------------------- data-driven breaks

@pytest.mark.parametrize("method", ["fisher_jenks", "quantiles"])
def test_breaks_cover_the_values(method):
    rng = np.random.default_rng(0)
    values = pd.Series(rng.gamma(2.0, 1.5, 300))
    c = C.classify(values, KADER, method=method, k=5)
    assert len(c.bins) == len(c.labels_id) == len(c.labels_en) == 5
    assert list(c.bins) == sorted(c.bins)
    assert c.bins[-1] == pytest.approx(values.max())
    cls = c.class_of(values)
    assert cls.min() == 0 and cls.max() == 4
    # Class order follows value order.
    order = np.argsort(values.to_numpy())
    assert (np.diff(cls[order]) >= 0).all()


@pytest.mark.parametrize("method", ["fisher_jenks", "quantiles"])
@pytest.mark.parametrize("values", [[], [np.nan, np.nan, np.nan]])
def test_no_values_gives_no_class(method, values):
    c = C.classify(pd.Series(values, dtype=float), KADER, method=method)
    assert len(c.bins) == 0 and len(c.labels_id) == 0
    assert list(c.class_of([1.0, np.nan])) == [-1, -1]
    assert C.colors_for(KADER, 0) == []


@pytest.mark.parametrize("method", ["fisher_jenks", "quantiles"])
def test_one_distinct_value(method):
    c = C.classify(pd.Series([3.0, 3.0, np.nan, 3.0]), KADER, method=method)
    assert len(c.bins) == 1
    assert list(c.labels_id) == ["3,00"] and list(c.labels_en) == ["3.00"]
    assert list(c.class_of([3.0, np.nan])) == [0, -1]
    assert len(C.colors_for(KADER, 1)) == 1


@pytest.mark.parametrize("method", ["fisher_jenks", "quantiles"])
def test_two_distinct_values(method):
    c = C.classify(pd.Series([1.0, 2.0, 2.0, 1.0]), KADER, method=method)
    assert 1 <= len(c.bins) <= 2
    cls = c.class_of([1.0, 2.0])
    assert cls[0] <= cls[1] and cls[1] == len(c.bins) - 1


@pytest.mark.parametrize("method", ["fisher_jenks", "quantiles"])
def test_ties_reduce_k_without_error(method):
    values = pd.Series([0.0] * 90 + [1.0, 1.0, 2.0, 5.0, 5.0, 5.0, 9.0, 9.0, 9.0, 9.0])
    c = C.classify(values, KADER, method=method, k=7)
    assert 1 <= len(c.bins) <= 5  # five distinct values
    assert len(set(c.bins)) == len(c.bins)
    assert len(c.labels_id) == len(c.bins)
    cls = c.class_of(values)
    assert (cls >= 0).all()
    assert len(set(cls[values.to_numpy() == 0.0])) == 1  # equal values, one class


def test_breaks_of_many_values_are_the_same_on_every_call():
    """Above FISHER_JENKS_EXACT_MAX values (a national desa map: 83,000) the breaks come
    from order statistics, not a random sample: every visitor and every export gets the
    same classes. Real data: Posyandu per desa of the national registry."""
    from geo import datasets
    long = datasets.long_table(datasets.joined_posyandu(), ("desa",))
    rows = long.loc[(long["indicator"] == "posyandu") & (long["level"] == "desa")]
    values = pd.Series(rows["value"].to_numpy())
    assert len(values) > C.FISHER_JENKS_EXACT_MAX
    first = C.classify(values, POSYANDU)
    assert all(C.classify(values, POSYANDU).bins == first.bins for _ in range(3))
    assert first.bins[-1] == values.max() and len(first.bins) == 5
    cls = first.class_of(values)
    assert set(cls) == {0, 1, 2, 3, 4}       # every class holds villages


def test_k_larger_than_distinct_values():
    c = C.classify(pd.Series([1.0, 2.0, 3.0]), KADER, method="fisher_jenks", k=5)
    assert len(c.bins) == 3
    assert list(c.class_of([1.0, 2.0, 3.0])) == [0, 1, 2]


def test_values_as_strings_and_none_are_coerced():
    c = C.classify(pd.Series(["1.5", None, "x", 4.0, 2]), KADER, method="quantiles", k=2)
    assert len(c.bins) >= 1
    assert c.class_of(pd.Series([None]))[0] == -1


# ---------------------------------------------------------------- labels

def test_labels_use_indonesian_and_english_number_formats():
    c = C.classify(pd.Series([10.0, 500.0, 1_234_567.0, 2_000_000.0, 3_500_000.0]), POSYANDU,
                   method="fisher_jenks", k=5)
    assert any("1.234.567" in lab for lab in c.labels_id)
    assert any("1,234,567" in lab for lab in c.labels_en)
    c = C.classify(pd.Series([0.5, 1.25, 2.75, 3.5]), KADER, method="quantiles", k=2)
    assert all("," in lab and "." not in lab for lab in c.labels_id)
    assert all("." in lab and "," not in lab for lab in c.labels_en)
    assert all(re.search(r"\d,\d\d\b", lab) for lab in c.labels_id)  # indicator.decimals = 2


# ---------------------------------------------------------------- colours

def test_schemes_are_colorbrewer_hex_lists():
    assert C.NO_DATA_COLOR == "#bdbdbd"
    assert C.SCHEMES["YlOrRd"][5] == ["#fff8bb", "#febd57", "#fc6330", "#ca0923", "#800026"]
    for name, by_k in C.SCHEMES.items():
        for k in range(3, 8):
            assert len(by_k[k]) == k
            assert all(HEX.match(h) for h in by_k[k]), name


@pytest.mark.parametrize("k", range(0, 8))
def test_colors_for_any_k(k):
    for ind in (STUNTING, KADER, POSYANDU, INTERNET):
        cols = C.colors_for(ind, k)
        assert len(cols) == k
        assert all(HEX.match(h) for h in cols)
        assert C.NO_DATA_COLOR not in cols


def _luminance(hex_color: str) -> float:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_darker_is_worse():
    assert C.scheme_for(STUNTING) == "YlOrRd"
    worse_high = C.colors_for(INTERNET, 5)
    assert _luminance(worse_high[-1]) < _luminance(worse_high[0])  # high values dark
    worse_low = C.colors_for(KADER, 5)
    assert _luminance(worse_low[0]) < _luminance(worse_low[-1])    # low values dark
    # Class 0 of the WHO bins (< 2.5 %) is the lightest.
    who = C.colors_for(STUNTING, 5)
    assert who == C.SCHEMES["YlOrRd"][5]
