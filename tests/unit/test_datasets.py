"""Which datasets the dashboard shows: workspace imports in place of samples."""
from __future__ import annotations

import os

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


def test_a_process_ending_right_after_a_long_table_build_writes_its_cache_and_exits_cleanly(tmp_path):
    """The long table's cache file is written by a thread; a process that ends at once
    (a CLI command, a test worker, a server being stopped) waits for it: the file is
    there and the exit is clean (a daemon writer was torn down with pyarrow: exit code
    134/139, or no file)."""
    import subprocess
    import sys
    code = ("import pandas as pd\n"
            "from geo import datasets\n"
            "frame = pd.DataFrame({'indicator': ['x'] * 200_000, 'value': range(200_000)})\n"
            "datasets.long_table_cached('test', lambda: frame)\n")
    env = dict(os.environ, PETA_CACHE_DIR=str(tmp_path))
    for _ in range(3):
        for old in tmp_path.glob("long-*.parquet"):
            old.unlink()
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        written = list(tmp_path.glob("long-*.parquet"))
        assert len(written) == 1 and pd.read_parquet(written[0])["value"].sum() == sum(range(200_000))
