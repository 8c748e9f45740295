"""Aggregate tables per kecamatan (issue 14): the published Kutai Kartanegara 2024 table
(Posyandu and trained kader per kecamatan) imports as indicator values at kecamatan level
with its source, and no Posyandu point is invented."""
from __future__ import annotations

import pandas as pd
import pytest

from geo import datasets, workspace
from geo.config import data_path
from geo.importers.aggregates import import_aggregates
from tests.helpers import R

KUKAR = "indicators/posyandu_kukar_kecamatan_2024.csv"


@pytest.fixture(autouse=True)
def _workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path / "ws"))


def _source():
    return pd.read_csv(data_path(KUKAR), dtype={"district_code": str})


def test_kukar_table_imports_counts_per_kecamatan():
    src = _source()
    res = import_aggregates(data_path(KUKAR))
    assert res.report.fatal is None and res.report.rejected_rows == []
    assert res.report.accepted_rows == list(range(2, len(src) + 2))
    data = res.data
    assert set(data["level"]) == {"kecamatan"}
    assert set(data["code"]) == set(src["district_code"])
    got = data.set_index(["code", "indikator"])["nilai"]
    for rec in src.to_dict("records"):
        code = rec["district_code"]
        assert got[(code, "posyandu_aktif_jumlah")] == rec["posyandu_active"]
        assert got[(code, "kader_terlatih_jumlah")] == \
            rec["kader_purwa"] + rec["kader_madya"] + rec["kader_utama"]
    assert data["sumber"].str.startswith("SIGA DP3A Kabupaten Kutai Kartanegara").all()
    assert any("Kader terlatih = jumlah kolom" in n for n in res.report.notes)


def test_saved_table_shows_in_the_long_table_without_points():
    res = import_aggregates(data_path(KUKAR))
    workspace.save("agregat", res.data, name="kukar", source="kukar.csv", report=res.report)
    long = datasets.long_table()
    mine = long.loc[(long["indicator"] == "posyandu_aktif_jumlah") & (long["period"] == "2024")]
    assert len(mine) == len(_source()) and set(mine["level"]) == {"kecamatan"}
    samboja = mine.set_index("code").loc["64.02.13"]
    assert samboja["value"] == 47 and "SIGA DP3A" in samboja["source"]
    # values at kecamatan level only: nothing is spread to the regency or to points
    siga = long["source"].astype(str).str.startswith("SIGA DP3A")
    assert set(long.loc[siga, "level"]) == {"kecamatan"}
    assert set(long.loc[siga, "indicator"]) == {"posyandu_aktif_jumlah", "posyandu_aktif_pct",
                                                "kader_terlatih_jumlah"}
    assert workspace.current("posyandu") is None


def test_unknown_code_and_unmatched_name_are_rejected(tmp_path):
    path = tmp_path / "agregat.csv"
    path.write_text("kode kecamatan;nama kecamatan;jumlah posyandu;jumlah kader\n"
                    "62.71.01;Pahandut;40;210\n"
                    "62.71.99;Entah;3;10\n"
                    ";Bukit Batu;12;60\n"
                    ";Kecamatan Tidak Ada;5;5\n", encoding="utf-8")
    res = import_aggregates(path, level="kecamatan", parent="62.71")
    assert res.report.accepted_rows == [2, 4] and res.report.rejected_rows == [3, 5]
    assert res.report.messages(3)[0][2] == R
    got = res.data.set_index(["code", "indikator"])["nilai"]
    assert got[("62.71.01", "kader_per_posyandu")] == pytest.approx(210 / 40)
    assert got[("62.71.02", "posyandu")] == 12
