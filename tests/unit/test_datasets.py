"""Which datasets the dashboard shows: workspace imports in place of samples."""
from __future__ import annotations

import pandas as pd

from geo import datasets, workspace
from geo.importers import import_indicators


def test_sample_registry_is_labelled_as_sample(monkeypatch, tmp_path):
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path))
    data, info = datasets.posyandu()
    assert info.sample and "SAMPEL" in info.label("id") and "SAMPLE" in info.label("en")
    assert bool(data["sampel"].all())


def test_imported_indicator_table_joins_the_long_table(monkeypatch, tmp_path):
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path / "ws"))
    src = tmp_path / "stunting_kab.csv"
    pd.DataFrame({"Kode": ["62.01", "62.71", "62.02"],
                  "Indikator": ["stunting", "stunting", "indikator lain"],
                  "Survei": ["SSGI 2024", "SSGI 2024", "SSGI 2024"],
                  "Nilai": ["25,1", "18,4", "3"],
                  "Sumber": ["Dinkes Kalteng", "Dinkes Kalteng", "x"]}).to_csv(src, index=False)
    result = import_indicators(src)
    workspace.save("indikator", result.data, name="stunting_kab.csv")
    long, info = datasets.imported_indicators()
    assert info is not None and info.rows == 3 and not info.sample
    # Known indicators are drawn; an unknown one stays in the workspace only.
    assert sorted(long["code"]) == ["62.01", "62.71"]
    row = long.set_index("code").loc["62.01"]
    assert row["indicator"] == "stunting" and row["period"] == "SSGI 2024"
    assert row["value"] == 25.1 and row["level"] == "kabupaten" and row["source"] == "Dinkes Kalteng"
