"""The map's one-sentence summary (geo.stats.summary) and the regions' accessible names
(components.map.access), on the published stunting values of Kalimantan Tengah."""
from __future__ import annotations

import math

import pytest

from geo.stats import summary


def test_highest_lowest_and_missing():
    s = summary.summarise(["62.01", "62.02", "62.03", "62.04"], [21.7, None, 30.1, float("nan")])
    assert s == summary.MapSummary(4, 2, ("62.03", 30.1), ("62.01", 21.7))


def test_ties_take_the_smallest_code_and_no_data_at_all():
    s = summary.summarise(["62.02", "62.01"], [5.0, 5.0])
    assert s.highest == ("62.01", 5.0) and s.lowest == ("62.01", 5.0)
    assert summary.summarise(["62.01"], [None]) == summary.MapSummary(1, 1, None, None)


@pytest.fixture(scope="module")
def kalteng():
    """The province map's choropleth as components.map.choropleth builds it (real data)."""
    from components.data import display_layer, values
    from components.map.view import Choropleth
    from geo.indicators import registry
    from geo.stats import classify, ranking

    ind = registry.get("stunting")
    vals = values("stunting", "kabupaten", "SSGI 2024", "62")
    vals = vals.merge(ranking.rank_frame(vals, True)[["code", "rank", "of"]], on="code", how="left")
    layer = display_layer("kabupaten", "62")
    cls = classify.classify(vals["value"], ind)
    return Choropleth(layer=layer, values=vals, indicator=ind, classification=cls,
                      colors=classify.colors_for(ind, len(cls.bins)), lang="id")


def test_sentence_and_names_on_real_data(kalteng):
    from components.map import access

    ch = kalteng
    known = ch.layer["code"].map(ch.values.set_index("code")["value"])
    top = ch.layer.loc[known.idxmax()]
    text = access.summary_text(ch, "kabupaten")
    assert text.startswith(f"Peta ini menunjukkan Prevalensi stunting (survei) di {len(ch.layer)} ")
    assert f"tertinggi {top['name']} (" in text
    missing = int(known.isna().sum())
    assert (f"{missing} tanpa data" in text) == (missing > 0)
    labels = access.region_labels(ch)
    assert set(labels) == set(ch.layer["code"])
    value = known[known.idxmax()]
    rank = ch.values.set_index("code").loc[top["code"], ["rank", "of"]]
    assert labels[top["code"]] == (
        f"{top['name']}: Prevalensi stunting (survei) {value:.1f} %".replace(".", ",")
        + f", peringkat {int(rank['rank'])} dari {int(rank['of'])}")
    assert not math.isnan(value) and "nan" not in " ".join(labels.values()).lower()
