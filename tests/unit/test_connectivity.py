"""Published connectivity context: BPS 2023 villages without signal per listed province,
and which Diskominfo blank-spot lists are complete (read from the data directory)."""
from __future__ import annotations

import json

import pandas as pd

from geo.config import INDICATOR_DIR, data_dir, read_text_table
from geo.connectivity import offline as connectivity
from geo.indicators import published


def test_bps_no_signal_per_listed_province():
    t = published.table()
    rows = t.loc[t["indicator"] == "desa_tanpa_sinyal"]
    src = read_text_table(data_dir() / INDICATOR_DIR / "internet_blankspot_reported.csv")
    src = src.loc[(src["metric"] == "villages_no_cellular_signal") & (src["year"] == "2023")
                  & (src["level"] == "province")]
    assert set(rows["period"]) == {"BPS 2023"} and (rows["level"] == "provinsi").all()
    assert dict(zip(rows["code"], rows["value"])) == {
        c: float(v) for c, v in zip(src["code"], src["value"])}
    assert "00" not in set(rows["code"])                  # the national figure is context
    assert len(rows) < 38                                 # unlisted provinces have no row


def test_blankspot_lists_complete_only_for_kalimantan_tengah():
    lists = connectivity.blankspot_lists().set_index("code")
    assert lists.loc["62", "complete"] and lists.loc["62", "value"] == 376
    assert not lists.loc["64", "complete"] and lists.loc["64", "value"] == 271
    assert not lists.loc["61", "complete"] and lists.loc["61", "regency_sum"] == 179


def test_exports_escape_formulas_and_keep_points():
    table = pd.DataFrame({"id": ["A"], "nama": ["=HYPERLINK(\"x\")"], "lon": [113.9],
                          "lat": [-2.2], "balita_sasaran": pd.array([pd.NA], dtype="Int64")})
    csv = connectivity.export_bytes(table, ".csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv
    gj = json.loads(connectivity.export_bytes(table, ".geojson"))
    feature = gj["features"][0]
    assert feature["geometry"]["coordinates"] == [113.9, -2.2]
    assert feature["properties"]["nama"].startswith("'=") and \
        feature["properties"]["balita_sasaran"] is None
    assert connectivity.export_bytes(table, ".xlsx")[:2] == b"PK"
