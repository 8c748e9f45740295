"""The lean first view (issue 29): key figures as one element, the notice line, and the
map's scripts as one bundle."""
from __future__ import annotations

import re
import shutil
from pathlib import PurePosixPath

import pytest

from components.kpi import Kpi, key_figures_html
from components.map import bundle
from components.map.vendor import VENDOR_DIR
from components.notices import notice_text
from geo.datasets import SAMPLE_HAZARDS, SAMPLE_POSYANDU, DatasetInfo
from tests.helpers import parse_key_figures

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")


def test_key_figures_are_one_list_with_every_label_value_and_help():
    kpis = [Kpi("Posyandu", "2.573"), Kpi("Posyandu terjangkau", "5 dari 5"),
            Kpi("Posyandu di zona bahaya tinggi", "35.648", help="Banjir 32; Tanah longsor 7")]
    html = key_figures_html(kpis, "Angka utama — Kalimantan Tengah")
    assert html.count("<dl") == 1 and html.count("<dt>") == 3 and html.count("<dd>") == 3
    assert "aria-label='Angka utama — Kalimantan Tengah'" in html
    assert [(f["label"].strip(), f["value"], f["help"]) for f in parse_key_figures(html)] == [
        ("Posyandu", "2.573", ""), ("Posyandu terjangkau", "5 dari 5", ""),
        ("Posyandu di zona bahaya tinggi", "35.648", "Banjir 32; Tanah longsor 7")]
    # the help can be reached by keyboard (its mark is focusable) and is in the label's text
    assert "tabindex='0'" in html


def test_key_figures_show_file_text_as_text():
    hostile = "<img src=x onerror=alert(1)>"
    html = key_figures_html([Kpi(hostile, hostile, help=hostile)], "x' onmouseover='y")
    assert "<img" not in html and "onmouseover='y" not in html
    (fig,) = parse_key_figures(html)
    assert fig["label"].strip() == fig["value"] == fig["help"] == hostile


def _info(name: str, sample: bool, rows: int = 303416) -> DatasetInfo:
    return DatasetInfo("posyandu", name, "2026-12-05", rows, sample, "")


def test_notice_names_every_sample_in_one_line():
    line, sample = notice_text(_info(SAMPLE_POSYANDU, True), _info(SAMPLE_HAZARDS, True), "id")
    assert sample and line.startswith("<strong>DATA SAMPEL</strong>")
    assert "Posyandu buatan, bukan registri nyata" in line
    assert "zona bahaya buatan, bukan peta InaRISK" in line
    assert "Data yang ditampilkan: Registri Posyandu sampel (nasional, seed 0), 303.416 baris." in line


def test_notice_of_an_imported_registry_keeps_naming_sample_hazards():
    real = _info("registri <b>kapuas</b>.csv", False, 812)
    line, sample = notice_text(real, _info(SAMPLE_HAZARDS, True), "id")
    assert sample and "Posyandu buatan" not in line and "zona bahaya buatan" in line
    assert "registri &lt;b&gt;kapuas&lt;/b&gt;.csv (diimpor 2026-12-05, 812 baris)" in line
    line, sample = notice_text(real, None, "id")
    assert not sample and "DATA SAMPEL" not in line and "Unggah" not in line


@pytest.fixture()
def vendor_copy(tmp_path):
    for rel in bundle.JS_PARTS + bundle.CSS_PARTS:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(VENDOR_DIR / rel, tmp_path / rel)
    return tmp_path


def test_bundle_holds_every_part_in_load_order(vendor_copy):
    js_rel, css_rel = bundle.paths(vendor_copy)
    js = (vendor_copy / js_rel).read_text(encoding="utf-8")
    starts = [js.index((VENDOR_DIR / rel).read_text(encoding="utf-8")) for rel in bundle.JS_PARTS]
    assert starts == sorted(starts) and bundle.JS_PARTS[0].endswith("leaflet.js")
    # the same files give the same name (a browser keeps it); a change gives a new one
    assert bundle.paths.__wrapped__(vendor_copy) == (js_rel, css_rel)
    peta = vendor_copy / bundle.PETA_MAP_JS
    peta.write_text(peta.read_text(encoding="utf-8") + "\n// changed\n", encoding="utf-8")
    assert bundle.paths.__wrapped__(vendor_copy)[0] != js_rel


def test_bundle_stylesheet_points_at_the_vendored_images():
    js_rel, css_rel = bundle.paths()
    css = (VENDOR_DIR / css_rel).read_text(encoding="utf-8")
    urls = [u for u in CSS_URL.findall(css) if not u.startswith(("data:", "#"))]
    assert urls, "Leaflet's stylesheet names its images"
    base = PurePosixPath(css_rel).parent
    for url in urls:
        target = VENDOR_DIR / (base / url)
        assert target.resolve().is_file(), url


def test_bundle_that_cannot_be_built_leaves_the_separate_files(tmp_path):
    (tmp_path / "missing").mkdir()
    assert bundle.paths.__wrapped__(tmp_path / "missing") is None
