"""The command line on real data: demo → validate → join → indicators."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd


def geo(*args, check=True):
    return subprocess.run([sys.executable, "-m", "geo", *args], capture_output=True,
                          text=True, check=check)


def test_demo_validate_join_indicators_roundtrip(tmp_path):
    reg = tmp_path / "kalteng.csv"
    geo("demo", "--scope", "62", "--seed", "3", "--out", str(reg))
    table = pd.read_csv(reg, dtype=str)
    assert len(table) == 2573 and set(table["sampel"]) == {"ya"}
    # One wrong code and one row without a name: the report names both rows.
    table.loc[0, "kode_desa"] = table.loc[500, "kode_desa"]
    table.loc[1, "nama"] = ""
    table.to_csv(reg, index=False)
    report = json.loads(geo("validate", str(reg)).stdout)
    assert report["baris_ditolak"] == 1 and report["baris_diterima"] == 2572
    # validate runs the import pipeline: also a coast warning (row kept), same as `import`
    assert [p["baris"] for p in report["masalah"] if p["tingkat"] == "ditolak"] == [3]
    out = tmp_path / "joined.csv"
    res = geo("join", "--posyandu", str(reg), "--out", str(out))
    joined = pd.read_csv(out, dtype=str)
    assert len(joined) == 2572
    assert joined.loc[joined["id"] == table.loc[0, "id"], "status_lokasi"].item() == "kode_berbeda"
    summary = json.loads(res.stderr.strip().splitlines()[-1])
    assert summary["posyandu"] == 2572
    res = geo("indicators", "--level", "kabupaten", "--parent", "62", "--posyandu", str(reg),
              "--indicator", "posyandu", "--format", "json")
    rows = json.loads(res.stdout)
    assert len(rows) == 14 and sum(r["value"] for r in rows) == 2572


def test_rank_unknown_survey_is_a_clear_error():
    res = geo("rank", "--indicator", "stunting", "--level", "provinsi", "--survey", "SSGI 2030",
              check=False)
    assert res.returncode == 2 and "SSGI 2022" in res.stderr
