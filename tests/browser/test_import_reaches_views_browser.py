"""One truth after an import (issue 24): a 5-row registry of Kalimantan Tengah (62) imported
in Kelola Data reaches every map page and every download of the province on the next
rerun — in a fresh browser too — and no sample figure is left anywhere.

The five Posyandu sit on representative points of real villages of Kota Palangka Raya,
all without internet, so Konektivitas must say "5 Posyandu tanpa internet", plan for 5
and download 5 rows (it kept the 593 sample Posyandu before: its cache was keyed on the
region only).
"""
from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import KEY_FIGURE, NOTICE, key_figure, key_figures, open_url, wait_for_script_run
from playwright.sync_api import Page, expect

APP = "app.py"
PROVINCE = "62"
FILE_NAME = "registri lima posyandu.csv"
LOAD = 120_000
NAMES = {"62.71.01.1001": "Posyandu Lima Anggrek", "62.71.01.1002": "Posyandu Lima Melati",
         "62.71.01.1003": "Posyandu Lima Mawar", "62.71.01.1004": "Posyandu Lima Kenanga",
         "62.71.01.1005": "Posyandu Lima Cempaka"}
KADER = (5, 4, 6, 3, 5)
BALITA = (40, 35, 50, 20, 30)


def _write_registry(path: Path, rows: int = 5) -> None:
    from geo.regions.boundaries import boundaries

    villages = boundaries("desa", ["62"]).set_index("code")
    if any(c not in villages.index for c in NAMES):
        pytest.skip("village boundaries of 62.71.01 missing")
    lines = ["id,nama,kode_desa,lat,lon,jumlah_kader,balita_sasaran,internet"]
    for i, (code, name) in enumerate(list(NAMES.items())[:rows]):
        p = villages.loc[code, "geometry"].representative_point()
        lines.append(f"LIMA-{i + 1},{name},{code},{p.y:.6f},{p.x:.6f},{KADER[i]},{BALITA[i]},"
                     "tidak")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _open(page: Page, server, path: str) -> None:
    open_url(page, server.url + path, LOAD / 1000)


def _download_rows(page: Page, button) -> list[dict]:
    expect(button).to_be_attached(timeout=LOAD)
    button.scroll_into_view_if_needed(timeout=LOAD)
    with page.expect_download(timeout=LOAD) as dl:
        button.click()
    text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    # a table's CSV is for people (";" and decimal comma in Bahasa Indonesia); the lists of
    # Konektivitas are the same files as the command line's (",")
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def _no_sample_registry(page: Page) -> None:
    notice = page.locator(NOTICE).filter(has_text="Data yang ditampilkan")
    expect(notice.first).to_contain_text(FILE_NAME)
    expect(notice.first).not_to_contain_text("Posyandu buatan")


def test_import_reaches_every_page_and_download(streamlit_server, browser, page, tmp_path,
                                                 screenshot_dir):
    registry = tmp_path / FILE_NAME
    _write_registry(registry)
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    from geo.config import cache_dir
    server = streamlit_server(APP, {"PETA_WORKSPACE_DIR": str(workspace),
                                    "PETA_CACHE_DIR": str(cache_dir())}, fresh=True)

    # Before the import: the province's Konektivitas shows the sample (fills the caches).
    _open(page, server, f"/konektivitas?wilayah={PROVINCE}")
    sample_count = page.get_by_text(re.compile(r"^[\d.]+ Posyandu tanpa internet \("))
    expect(sample_count).to_be_visible(timeout=LOAD)
    assert not sample_count.inner_text().startswith("5 ")

    # Kelola Data: upload and save.
    _open(page, server, "/kelola_data")
    page.get_by_test_id("stFileUploader").locator('input[type="file"]') \
        .set_input_files(str(registry))
    expect(page.get_by_role("heading", name="Laporan impor")).to_be_visible(timeout=LOAD)
    wait_for_script_run(page, LOAD / 1000)
    page.get_by_role("button", name="Simpan dan pakai data ini").click()
    expect(page.get_by_test_id("stAlert").filter(has_text="Tersimpan:")).to_be_visible(
        timeout=LOAD)
    wait_for_script_run(page, LOAD / 1000)

    # A fresh browser (new context: no session, no cookies) on the same server.
    context = browser.new_context(viewport={"width": 1366, "height": 768},
                                  accept_downloads=True)
    fresh = context.new_page()
    try:
        # Konektivitas: the list, the plan and their downloads read the 5 Posyandu.
        _open(fresh, server, f"/konektivitas?wilayah={PROVINCE}")
        expect(fresh.get_by_text(re.compile(r"^5 Posyandu tanpa internet \(175 balita"))) \
            .to_be_visible(timeout=LOAD)
        _no_sample_registry(fresh)
        expect(key_figure(fresh, "Posyandu terjangkau")).to_have_text("5 dari 5", timeout=LOAD)
        offline = _download_rows(fresh, fresh.locator(".st-key-offline-csv button"))
        assert sorted(r["nama"] for r in offline) == sorted(NAMES.values())
        covered = _download_rows(fresh, fresh.locator(".st-key-plan-covered-csv button"))
        assert sorted(r["nama"] for r in covered) == sorted(NAMES.values())
        fresh.screenshot(path=str(screenshot_dir / "import_konektivitas_1366.png"))

        # Ringkasan: the KPI cards count the 5.
        _open(fresh, server, f"/?wilayah={PROVINCE}")
        expect(fresh.locator(KEY_FIGURE).first).to_be_visible(timeout=LOAD)
        _no_sample_registry(fresh)
        metrics = key_figures(fresh)
        assert metrics["Posyandu"] == "5", metrics
        assert metrics["Posyandu tanpa internet"] == "100,0 %", metrics
        assert metrics["Kader per Posyandu"] == "4,60", metrics

        # Kader: Kota Palangka Raya averages 4,6 kader per Posyandu, the only regency with
        # Posyandu: one region below the standard.
        _open(fresh, server, f"/kader?wilayah={PROVINCE}")
        _no_sample_registry(fresh)
        expect(fresh.get_by_text(re.compile(r"^1 dari \d+ wilayah rata-rata di bawah 5"))) \
            .to_be_visible(timeout=LOAD)

        # Risiko Bencana: the exposed list holds only imported Posyandu.
        _open(fresh, server, f"/risiko_bencana?wilayah={PROVINCE}")
        _no_sample_registry(fresh)
        # (or, when none of them lies in a zone of the chosen classes, the sentence saying so)
        button = fresh.locator(".st-key-tbl-bahaya-list-csv button")
        none = fresh.get_by_text(re.compile(r"^Tidak ada Posyandu di kelas bahaya"))
        expect(button.or_(none).first).to_be_attached(timeout=LOAD)
        if button.count():
            listed = _download_rows(fresh, button)
            names = {r.get("Nama") or r.get("nama") for r in listed}
            assert names <= set(NAMES.values()), names
    finally:
        context.close()

    # Another process saves a 3-row registry (the command line, as a second app process
    # would): the running server shows it on its next rerun, in a fresh browser.
    three = tmp_path / "registri tiga.csv"
    _write_registry(three, rows=3)
    env = {**os.environ, "PETA_WORKSPACE_DIR": str(workspace), "PETA_CACHE_DIR": str(cache_dir())}
    subprocess.run([sys.executable, "-m", "geo", "import", "posyandu", str(three), "--save"],
                   check=True, capture_output=True, env=env, cwd=Path(__file__).parents[2])
    context = browser.new_context(viewport={"width": 1920, "height": 1080},
                                  accept_downloads=True)
    fresh = context.new_page()
    try:
        _open(fresh, server, f"/konektivitas?wilayah={PROVINCE}")
        expect(fresh.get_by_text(re.compile(r"^3 Posyandu tanpa internet \("))) \
            .to_be_visible(timeout=LOAD)
        offline = _download_rows(fresh, fresh.locator(".st-key-offline-csv button"))
        assert len(offline) == 3, offline
        expect(key_figure(fresh, "Posyandu terjangkau")).to_have_text("3 dari 3", timeout=LOAD)
        fresh.screenshot(path=str(screenshot_dir / "import_konektivitas_1920.png"),
                         full_page=True)
    finally:
        context.close()
