"""Risiko Bencana through AppTest: the hazard-type selector (semua + the sample types),
per-type exposure indicators on the map, the kecamatan table and the exposed list, all
equal to what geo computes here; sample data is labelled."""
from __future__ import annotations

import json
import re

import pytest
import streamlit as st
from test_pages import _navigation_mode, _sample_data, component_args, open_page  # noqa: F401

from components.map import files as mapdata

PAGE = "pages/risiko_bencana.py"


@pytest.fixture(scope="module")
def expected():
    from geo import datasets
    from geo.hazards.exposure import class_ranks, exposed_list
    from geo.regions import boundaries as regions
    joined = datasets.joined_posyandu()
    layers, _ = datasets.hazard_layers()
    types, ranks = class_ranks(joined, layers)
    listing = exposed_list(joined, types, ranks, regions.region_names())
    where = joined["kode_agregasi"].astype(str).to_numpy()
    return types, listing, where


def test_type_selector_and_karhutla_list(expected):
    types, listing, where = expected
    assert {"banjir", "tanah_longsor", "karhutla"} <= set(types)
    at = open_page(PAGE, wilayah="62")
    assert not at.exception, at.exception
    radio = next(r for r in at.radio if r.label == "Jenis bahaya")
    assert radio.options[0] == "Semua bahaya" and "Kebakaran hutan dan lahan" in radio.options
    # "Semua bahaya" names the types it counts
    assert any(c.value.startswith("Semua bahaya = ") and all(
        name in c.value for name in ("Banjir", "Tanah longsor", "Kebakaran hutan dan lahan"))
        for c in at.caption), [c.value for c in at.caption]
    radio.set_value("karhutla").run()
    assert not at.exception, at.exception
    (notice,) = [m.value for m in at.markdown if "pp-notice" in m.value]   # one line
    assert "DATA SAMPEL" in notice and "zona bahaya buatan" in notice
    # the map carries the karhutla zones and the choropleth of the karhutla indicator
    (args,) = component_args(at)
    script = args["feature_group"]     # this view's layer (the base map stays mounted)
    cfg = json.loads(re.search(r"PetaMap\.view\([^,]+, (\{.*\})\);", script).group(1))
    hazards = cfg["hazards"]
    assert not hazards["hatch"]                     # flat fills outside projector mode
    # the DATA SAMPEL stamp inside the map names both sample datasets
    assert cfg["sample"]["title"] == "DATA SAMPEL"
    assert "Posyandu buatan" in cfg["sample"]["detail"]
    assert "zona bahaya buatan" in cfg["sample"]["detail"]
    assert set(hazards["colors"]) == {f"karhutla|{k}" for k in ("rendah", "sedang", "tinggi")}
    rel = hazards["url"].split("/static/geo/", 1)[1]      # the file the browser fetches
    drawn = json.loads((mapdata.GEO_DIR / rel).read_text(encoding="utf-8"))
    kinds = {(f["properties"]["j"], f["properties"]["k"]) for f in drawn["zones"]["features"]}
    assert kinds == {("karhutla", k) for k in ("rendah", "sedang", "tinggi")}   # one type only
    assert "Posyandu di zona tinggi (kebakaran hutan dan lahan)" in script
    # the exposed list (default class tinggi) = Posyandu of province 62 in karhutla tinggi
    inside = (where == "62") | pd_startswith(where, "62.")
    want = listing.loc[inside & (listing["karhutla_kelas"] == "tinggi").to_numpy()]
    table = at.dataframe[-1].value
    assert len(table) == len(want) > 0
    # the map rings every one of them that has a point
    assert len(drawn["high"]) == int((want["lat"].notna() & want["lon"].notna()).sum()) > 0
    assert set(table["Nama"] if "Nama" in table else table.iloc[:, 1]) == set(want["nama"])
    assert table.columns[0] == "Keterangan data"   # a header people read, not "data"
    assert table["Keterangan data"].str.contains("DATA SAMPEL").all()
    assert "Kabupaten/Kota" in table.columns
    # a Posyandu outside every zone of a type reads "di luar zona" there, never "None"
    flood = table["Banjir"].astype(str)
    assert not flood.isin(["None", "nan", "<NA>"]).any()
    assert (flood == "di luar zona").sum() == int(want["banjir_kelas"].isna().sum()) > 0


def pd_startswith(values, prefix):
    import numpy as np
    return np.char.startswith(values.astype(str), prefix)


def test_kecamatan_table_adds_up(expected):
    types, listing, where = expected
    at = open_page(PAGE, wilayah="62")
    assert not at.exception, at.exception
    kec = at.dataframe[-2].value
    inside = pd_startswith(where, "62.")
    # semua bahaya: Posyandu per class over all kecamatan = the list's highest class
    for k in ("rendah", "sedang", "tinggi"):
        col = next(c for c in kec.columns if c == f"Posyandu {k}")
        assert kec[col].sum() == int((listing.loc[inside, "kelas_tertinggi"] == k).sum())
    st.cache_resource.clear()


def test_projector_hazard_map_is_hatched_with_a_short_legend():
    """Projector mode: zones hatched (peta-map.js), no circle per region under the rings,
    one legend row per hazard type (the legend fits 1366x768)."""
    at = open_page(PAGE, wilayah="62", proyektor="1")
    assert not at.exception, at.exception
    (args,) = component_args(at)
    cfg = json.loads(re.search(r"PetaMap\.view\([^,]+, (\{.*\})\);",
                               args["feature_group"]).group(1))
    assert cfg["hazards"]["hatch"] is True and not cfg["symbols"]
    assert cfg["sample"]["title"] == "DATA SAMPEL"
    legend = next(m.value for m in at.markdown if "class='pp-legend'" in m.value)
    assert legend.count("repeating-linear-gradient") == 4   # 3 types + the classes' row
    assert "Zona kebakaran hutan dan lahan" in legend and "rendah" in legend
