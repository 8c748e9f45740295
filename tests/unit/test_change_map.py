"""The change map (issue 26) on real published data: SKI 2023 → SSGI 2024 and, across the
2022 Papua split, SSGI 2022 → SSGI 2024."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from geo.indicators import registry as indicators
from geo.regions import boundaries as regions
from geo.stats import change

MEMBAIK_2_05, TETAP, MEMBURUK_05_2, MEMBURUK_5 = 2, 3, 4, 6


@pytest.fixture(scope="module")
def provinces():
    return regions.code_list("provinsi").set_index("code")["name"]


def _change(provinces, period, compare):
    return change.change_values(indicators.published_long(), "stunting", "provinsi", period,
                                compare, names=provinces, universe=provinces.index)


def test_ski2023_to_ssgi2024_classes_and_not_comparable(provinces):
    ch = _change(provinces, "SSGI 2024", "SKI 2023")
    v = ch.values.set_index("code")
    # the 12 provinces with a value in both surveys (SSGI 2024 published 13 + national)
    assert set(v.index[v["comparable"]]) == {"53", "76", "96", "61", "13", "63", "64", "62",
                                            "71", "18", "32", "51"}
    # Kalimantan Tengah 23.5 → 22.1 (−1.4 pp), Kalbar 20.6 → 26.8 (+6.2), Jabar 21.7 → 15.9
    assert v.loc["62", "change"] == pytest.approx(-1.4)
    cls = dict(zip(v.index, change.classes_of(ch, v.index)))
    assert cls["62"] == MEMBAIK_2_05 and ch.classification.labels_id[2].endswith("membaik")
    assert cls["61"] == MEMBURUK_5 and ch.classification.labels_id[6].endswith("memburuk")
    assert cls["32"] == 0                                   # −5.8 pp: < −5 membaik
    assert cls["71"] == MEMBAIK_2_05 and cls["96"] == MEMBAIK_2_05   # −0.5 exactly: out of "tetap"
    assert cls["18"] == MEMBURUK_05_2                       # +1.0
    assert ch.colors[0] == change.RDBU7[0]                  # a fall of stunting is blue
    # Jawa Tengah: SSGI 2024 17.1 but no SKI 2023 value — not comparable, with the reason
    assert cls["33"] == -2 and "tidak ada nilai pada SKI 2023" in v.loc["33", "reason"]
    assert cls["11"] == -2 and "tidak ada nilai pada SSGI 2024" in v.loc["11", "reason"]
    # Banten: in neither survey — no data, not "not comparable"
    assert cls["36"] == -1 and pd.isna(v.loc["36", "reason"])
    # classes are symmetric around 0
    c = ch.classification
    assert list(c.class_of([-0.49, 0.49, -0.5, 0.5, -2, 2, -5, 5])) == [3, 3, 2, 4, 1, 5, 0, 6]


def test_papua_split_is_drawn_not_comparable_with_its_reason(provinces):
    ch = _change(provinces, "SSGI 2024", "SSGI 2022")
    v = ch.values.set_index("code")
    nc = ch.not_comparable.set_index("code")
    # SSGI 2022 codes 91/92 cover the provinces split off in 2022
    assert "pemekaran Papua 2022" in nc.loc["91", "reason"]
    assert "pemekaran Papua 2022" in nc.loc["92", "reason"]
    assert v.loc["92", "reason_short"] == change.GEOGRAPHY_SHORT[0]
    # Papua Barat Daya (96) only exists from 2022 on
    assert "pemekaran 2022" in nc.loc["96", "reason"]
    assert v.loc["62", "change"] == pytest.approx(22.1 - 26.9)


def test_cli_change_map_png_names_both_periods(tmp_path):
    out = tmp_path / "change.png"
    run = subprocess.run([sys.executable, "-m", "geo", "map", "--indicator", "stunting",
                          "--level", "provinsi", "--survey", "SSGI 2024", "--change-from",
                          "SKI 2023", "--out", str(out)], capture_output=True, text=True,
                         check=True)
    line = json.loads(run.stdout.strip().splitlines()[-1])
    assert line["periode"] == "SSGI 2024" and line["periode_banding"] == "SKI 2023"
    assert line["ukuran_px"] == [1920, 1080]
    assert "SKI 2023 → SSGI 2024" in line["judul"]
    assert "33" in line["tidak_sebanding"] and "62" not in line["tidak_sebanding"]
    colors = [e["warna"] for e in line["legenda"]]
    assert colors[:7] == change.RDBU7 and change.NOT_COMPARABLE_COLOR in colors
    from PIL import Image
    with Image.open(out) as im:
        assert im.size == (1920, 1080)
        x, y = next(e["px"] for e in line["legenda"] if e["warna"] == change.RDBU7[0])
        assert im.convert("RGB").getpixel((x, y)) == (0x21, 0x66, 0xac)


def test_split_export_one_picture_one_legend(tmp_path):
    """Two periods side by side in one PNG: one title naming both, one legend whose counts
    are per period (left | right), the WHO classes shared."""
    out = tmp_path / "split.png"
    run = subprocess.run([sys.executable, "-m", "geo", "map", "--indicator", "stunting",
                          "--level", "provinsi", "--survey", "SSGI 2024", "--split-from",
                          "SKI 2023", "--out", str(out)], capture_output=True, text=True,
                         check=True)
    line = json.loads(run.stdout.strip().splitlines()[-1])
    assert line["periode"] == "SSGI 2024" and line["periode_kiri"] == "SKI 2023"
    assert line["ukuran_px"] == [1920, 1080] and "SKI 2023 | SSGI 2024" in line["judul"]
    labels = [e["label"] for e in line["legenda"]]
    long = indicators.published_long()
    both = [long.loc[(long["indicator"] == "stunting") & (long["level"] == "provinsi")
                     & (long["period"] == p), "value"] for p in ("SKI 2023", "SSGI 2024")]
    # SKI 2023: 35 of 38 provinces published, SSGI 2024: 13 → no data "(3 | 25)"
    assert [len(v) for v in both] == [35, 13] and labels[-1].endswith("(3 | 25)")
    ge30 = [int((v >= 30).sum()) for v in both]
    assert labels[4].startswith("≥ 30") and labels[4].endswith(f"({ge30[0]} | {ge30[1]})")
    from PIL import Image
    with Image.open(out) as im:
        assert im.size == (1920, 1080)
