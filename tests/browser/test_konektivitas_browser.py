"""Konektivitas in headless Chromium: at province 62, choose k = 20, see the 20 sites with
their radius circles and the coverage curve, download the plan (CSV), and take
screenshots at 1920×1080 and 1366×768. Nothing may leave 127.0.0.1."""
from __future__ import annotations

import time

import pandas as pd
import pytest
from conftest import ST_FOLIUM_IFRAME, key_figure, wait_for_script_run
from playwright.sync_api import Page, expect

APP = "app.py"
FIRST_LOAD_TIMEOUT = 300.0
SITE_STROKE = "#6a3d9a"          # components.views.siteplan.SITE_COLOR


@pytest.fixture(scope="module")
def server(streamlit_server, data_dir):
    return streamlit_server(APP, {"PETA_DATA_DIR": str(data_dir)}, timeout=180)


def _set_k(page: Page, value: int) -> None:
    """Move the k slider with the keyboard (as a person would) to ``value``."""
    box = page.locator(".st-key-plan-k")
    box.scroll_into_view_if_needed()
    thumb = box.locator("input[type='range']").first
    if not thumb.count():
        thumb = box.get_by_role("slider").first
    current = int(float(thumb.input_value() if thumb.evaluate("e => 'value' in e")
                        else thumb.get_attribute("aria-valuenow")))
    thumb.focus()
    key = "ArrowRight" if value > current else "ArrowLeft"
    for _ in range(abs(value - current)):
        page.keyboard.press(key)
    expect(box.get_by_test_id("stSliderThumbValue")).to_have_text(str(value))
    page.wait_for_timeout(500)
    wait_for_script_run(page, FIRST_LOAD_TIMEOUT)


@pytest.mark.parametrize("viewport", [(1920, 1080), (1366, 768)], ids=["1920", "1366"])
def test_plan_twenty_sites_at_province_62(server, browser, data_dir, viewport, tmp_path,
                                          screenshot_dir, external_requests, failed_requests,
                                          page_errors, page):
    width, height = viewport
    page.set_viewport_size({"width": width, "height": height})
    stacks: list[str] = []      # where a JavaScript error came from, for the report
    page.on("pageerror", lambda error: stacks.append(error.stack or str(error)))
    started = time.monotonic()
    page.goto(server.url + "/konektivitas?wilayah=62", wait_until="domcontentloaded",
              timeout=FIRST_LOAD_TIMEOUT * 1000)
    wait_for_script_run(page, FIRST_LOAD_TIMEOUT)
    expect(page.locator("h1").first).to_have_text("Konektivitas",
                                                  timeout=FIRST_LOAD_TIMEOUT * 1000)
    expect(page.locator(ST_FOLIUM_IFRAME)).to_have_count(2, timeout=FIRST_LOAD_TIMEOUT * 1000)
    wait_for_script_run(page, FIRST_LOAD_TIMEOUT)
    # choose k = 20 (from 18, so the plan is recomputed in front of us)
    _set_k(page, 18)
    expect(key_figure(page, "Situs baru")).to_have_text("18", timeout=120_000)
    _set_k(page, 20)
    expect(key_figure(page, "Situs baru")).to_have_text("20", timeout=120_000)
    # the map: 20 numbered sites and their radius circles
    plan = page.frame_locator(ST_FOLIUM_IFRAME).nth(1)
    expect(plan.locator(".pp-site")).to_have_count(20, timeout=60_000)
    expect(plan.locator(f'path[stroke="{SITE_STROKE}"]')).to_have_count(20)
    assert plan.locator('path[fill="#e31a1c"]').count() > 0      # Posyandu not reached
    assert plan.locator('path[fill="#2171b5"]').count() > 0      # Posyandu reached
    # the coverage curve (Streamlit's own chart)
    chart = page.locator('[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"]')
    expect(chart.first).to_be_visible()
    # screenshots: the page top and the plan section
    page.locator("h1").first.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    page.screenshot(path=str(screenshot_dir / f"konektivitas_62_top_{width}.png"))
    page.locator(ST_FOLIUM_IFRAME).nth(1).scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    page.screenshot(path=str(screenshot_dir / f"konektivitas_62_plan_{width}.png"))
    # download the plan (no rerun: the page stays as it is)
    button = page.locator(".st-key-plan-sites-csv").get_by_role("button")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    path = tmp_path / "plan.csv"
    info.value.save_as(path)
    sites = pd.read_csv(path, dtype={"site_id": str, "kode_desa": str})
    assert len(sites) == 20 and list(sites["rank"]) == list(range(1, 21))
    assert {"site_id", "lon", "lat", "covered_added", "share_total"} <= set(sites.columns)
    assert sites["site_id"].str.startswith("62.").all()
    print(f"\nkonektivitas 62 at {width}x{height}: {time.monotonic() - started:.1f}s")
    assert external_requests == [], external_requests
    assert page_errors == [], stacks
    assert page.get_by_test_id("stException").count() == 0
