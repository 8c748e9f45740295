"""The view model (geo.views.ranked) is the one truth: the exported map, the meeting pack and
``python -m geo rank`` read the same values and ranks, and a comparison that restricts N
says both numbers in one sentence (issue 24)."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from geo import datasets
from geo.export import mapdata
from geo.export.pack import _Pack
from geo.regions import boundaries as regions
from geo.views import ranked

PERIOD, COMPARE = "SSGI 2024", "SKI 2023"


@pytest.fixture(scope="module")
def long() -> pd.DataFrame:
    return datasets.long_table()


@pytest.fixture(scope="module")
def provinces() -> pd.DataFrame:
    return regions.code_list("provinsi")


def _view(long, provinces, compare=None) -> ranked.RankedView:
    return ranked.from_long(long, "stunting", "provinsi", PERIOD, compare,
                            names=provinces.set_index("code")["name"],
                            universe=provinces["code"])


def test_comparison_says_both_numbers(long, provinces):
    alone, compared = _view(long, provinces), _view(long, provinces, COMPARE)
    p = compared.position("62")
    # the rank in the survey does not change with the comparison
    assert (p.rank, p.of) == (alone.position("62").rank, alone.of)
    assert p.rank is not None and p.rank_both is not None
    assert compared.of_both < compared.of      # some province lacks one of the surveys
    text = compared.rank_text("62", "id")
    assert text == (f"peringkat {p.rank} dari {p.of}; {p.rank_both} dari {p.of_both} provinsi "
                    "yang punya nilai pada kedua survei")
    assert alone.rank_text("62", "id") == f"peringkat {p.rank} dari {p.of}"
    assert compared.rank_text("62", "en").startswith(f"rank {p.rank} of {p.of}; ")
    # the table carries both ranks: rank_all = the survey's own rank, for every region
    t = compared.table.set_index("code")
    a = alone.table.set_index("code")
    assert t["rank_all"].astype("Float64").equals(a.loc[t.index, "rank"].astype("Float64"))
    assert int(t.loc["62", "rank"]) == p.rank_both
    assert int(t.loc["62", "rank_prev"]) - p.rank_both == p.rank_change


def test_map_pack_and_cli_read_the_same_numbers(long, provinces, tmp_path):
    view = _view(long, provinces, COMPARE)
    by_code = view.values.set_index("code")

    # the exported map (PNG/PDF): values and ranks of the view
    md = mapdata.map_data(long, "stunting", "", period=PERIOD, level="provinsi")
    got = md.values.set_index("code").loc[by_code.index]
    assert got["value"].equals(by_code["value"])
    assert got["rank"].astype("Float64").equals(by_code["rank"].astype("Float64"))

    # the meeting pack: its rank line is the view's sentence (no comparison in a pack)
    pack = _Pack(long, "62", "id", None, None, None, None)
    line, period = pack.rank_line()
    alone = _view(long, provinces)
    assert period == PERIOD
    assert alone.rank_text("62", "id") in line
    assert f"dari {alone.of} provinsi" in line

    # the command line: same ranks, same comparison ranks, decimal points (machine CSV)
    out = tmp_path / "rank.csv"
    subprocess.run([sys.executable, "-m", "geo", "rank", "--indicator", "stunting",
                    "--level", "provinsi", "--survey", PERIOD, "--compare", COMPARE,
                    "--format", "csv", "--out", str(out)], check=True, capture_output=True)
    cli = pd.read_csv(out, dtype={"code": str}).set_index("code")
    table = view.table.set_index("code")
    for col in ("rank", "of", "rank_prev", "rank_all", "of_all"):
        assert cli[col].astype("Float64").equals(table.loc[cli.index, col].astype("Float64")), col
    assert cli.loc["62", "value"] == pytest.approx(by_code.loc["62", "value"])
    assert "." in out.read_text().splitlines()[1]
