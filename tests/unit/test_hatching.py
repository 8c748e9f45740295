"""Unreliable registry rates are hatched on exported maps and in the meeting pack, with the
BPS rule in the legend (issue 26); checked against the RSE computed here from each region's
numerator and denominator (sample registry, Kotawaringin Barat)."""
from __future__ import annotations

import math

import pytest

from geo.export import mapdata
from geo.export.pack import build_pack
from geo.export.render import render
from geo.indicators import registry as indicators

REGION = "62.01"


@pytest.fixture(scope="module")
def long():
    return mapdata.long_for(["tanpa_internet_pct"], ("kecamatan",), REGION)


def _expected_hatch(rows) -> dict[str, int]:
    out = {}
    for code, x, n in zip(rows["code"], rows["numerator"], rows["denominator"]):
        p = x / n
        rse = 100 * math.sqrt(p * (1 - p) / n) / p if p > 0 else float("nan")
        if n < indicators.DEFAULT_MIN_DENOMINATOR or rse > 50:
            out[code] = 2
        elif 25 < rse <= 50:
            out[code] = 1
    return out


def test_exported_map_hatches_unreliable_rates_with_the_rule(long):
    data = mapdata.map_data(long, "tanpa_internet_pct", REGION)
    rows = indicators.values(long, "tanpa_internet_pct", "kecamatan", "Registri", REGION)
    expected = _expected_hatch(rows)
    assert expected and data.hatch == expected
    assert any(n.startswith("Keandalan (aturan BPS, RSE)") for n in data.notes)
    _, info = render(data, "png")
    assert info.hatched[1] == sum(1 for h in expected.values() if h == 1)
    assert info.hatched[2] == sum(1 for h in expected.values() if h == 2)
    assert any(t.startswith("Arsir rapat: tidak akurat") for t in info.texts)
    assert any(t.startswith("Arsir jarang: hati-hati") for t in info.texts)


def test_published_values_are_never_hatched():
    long = mapdata.long_for(["stunting"])
    data = mapdata.map_data(long, "stunting", "62", period="SKI 2023")
    assert data.hatch == {}
    _, info = render(data, "png")
    assert not any(t.startswith("Arsir") for t in info.texts)


def test_meeting_pack_carries_hatching_and_rule():
    _, slides = build_pack(REGION)
    connectivity = next(s for s in slides if s["title"].startswith("Konektivitas"))
    info = connectivity["map"]
    assert info.hatched[1] + info.hatched[2] > 0
    assert any(t.startswith("Keandalan (aturan BPS, RSE)") for t in info.texts)
