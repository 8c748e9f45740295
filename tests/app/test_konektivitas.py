"""Konektivitas page (AppTest): the list of Posyandu without internet, the site plan for
Kalimantan Tengah (k and radius sliders, curve, map, downloads) and the published notes."""
from __future__ import annotations

import json
import re

from tests.app.test_pages import _navigation_mode, _sample_data, component_args, open_page  # noqa: F401
from tests.helpers import key_figures

PAGE = "pages/konektivitas.py"


def _frames(at):
    return [e.value for e in at.dataframe]


def test_list_and_plan_for_kalimantan_tengah():
    from geo import datasets
    from geo.connectivity import offline as connectivity
    from geo.connectivity import plan as siteplan
    at = open_page(PAGE, wilayah="62")
    assert not at.exception, at.exception
    offline = connectivity.offline_posyandu(datasets.joined_posyandu(), "62")
    frames = _frames(at)
    listed = next(f for f in frames if "Nama Posyandu" in f.columns and "Desa blank spot" in f)
    assert len(listed) == len(offline)
    assert set(listed["ID"]) == set(offline["id"])
    # the plan: k = 20 by default, the same plan as geo computes
    expected = siteplan.plan_sites(connectivity.demand_from(offline),
                                   connectivity.village_candidates("62"), 20, 5.0)
    sites = next(f for f in frames if "ID situs" in f.columns and "Urutan" in f.columns)
    assert list(sites["ID situs"]) == list(expected.sites["site_id"])
    metrics = key_figures(at)
    assert metrics["Situs baru"] == "20"
    assert metrics["Posyandu terjangkau"].startswith(
        f"{expected.summary['covered_posyandu']} dari ")
    # a coverage curve (Streamlit's chart) and the plan map, whose assets are local
    assert at.get("vega_lite_chart")
    maps = component_args(at)
    assert len(maps) == 2
    assert all(u.startswith("/app/static/") for u in maps[1]["js_links"] + maps[1]["css_links"])
    plan = json.loads(re.search(r"PetaMap\.plan\([^,]+, (\{.*\})\);", maps[1]["script"]).group(1))
    assert len(plan["sites"]) == 20                 # one radius circle per chosen site
    assert [r[2] for r in plan["sites"]] == list(range(1, 21))
    reached = {r[3] for r in plan["points"] if r[4]}
    assert reached and reached <= set(expected.sites["site_id"])
    assert plan["url"].startswith("/app/static/geo/")   # the regions: a geometry file
    # downloads of the list and of the plan, in three formats each
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Unduh GeoJSON") >= 3 and labels.count("Unduh CSV") >= 3


def test_sliders_change_the_plan():
    at = open_page(PAGE, wilayah="62")
    at.slider(key="plan-k").set_value(5)
    at.select_slider(key="plan-radius").set_value(10.0)
    at.run()
    assert not at.exception, at.exception
    metrics = key_figures(at)
    assert metrics["Situs baru"] == "5"
    sites = next(f for f in _frames(at) if "ID situs" in f.columns)
    assert len(sites) == 5
    # by balita: the caption still names the greedy guarantee
    at.radio(key="plan-weight").set_value("balita")
    at.run()
    assert not at.exception
    assert any("1−1/e" in c.value for c in at.caption)


def test_exact_plan_reports_proven_optimum():
    at = open_page(PAGE, wilayah="62.71")
    at.slider(key="plan-k").set_value(3)
    at.checkbox(key="plan-exact").check()
    at.run()
    assert not at.exception, at.exception
    assert any("Optimal (terbukti oleh HiGHS)" in c.value for c in at.caption)


def test_national_plan_waits_for_the_button_and_notes_are_honest():
    at = open_page(PAGE, indikator="desa_tanpa_sinyal")
    assert not at.exception, at.exception
    assert len(component_args(at)) == 1
    assert [b.label for b in at.button if b.label == "Hitung rencana nasional"]
    info = " ".join(i.value for i in at.info)
    assert "BPS 2023" in info and "bukan nol" in info
    at = open_page(PAGE, indikator="desa_blankspot", wilayah="64")
    info = " ".join(i.value for i in at.info)
    # Kaltim has a published (partial) figure: the note says so instead of "only Kalteng"
    assert "Kalimantan Timur" in info and "271" in info
