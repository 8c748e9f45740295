"""Risiko Bencana in headless Chromium at province 62 (Kalimantan Tengah): choosing the
hazard type karhutla draws its zones (the polygonised SAMPLE index raster, in karhutla's
colours, no flood zones) and lists the exposed Posyandu by name; nothing leaves the machine.
Screenshots at 1920×1080 and 1366×768 go to tests/browser/screenshots/."""
from __future__ import annotations

import time

import pytest
from conftest import ST_FOLIUM_IFRAME, VIEWPORT, wait_for_script_run
from playwright.sync_api import expect

from geo.hazards import types as ht

LOAD_TIMEOUT = 600.0   # cold caches on a busy 2-core machine


@pytest.fixture(scope="module")
def server(streamlit_server, data_dir, browser):
    srv = streamlit_server("app.py", {"PETA_DATA_DIR": str(data_dir)}, timeout=180)
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    warm = context.new_page()
    try:   # the first load builds the caches
        warm.goto(srv.url + "/risiko_bencana?wilayah=62", wait_until="domcontentloaded")
        warm.frame_locator(ST_FOLIUM_IFRAME).first.locator("path").first.wait_for(
            state="attached", timeout=LOAD_TIMEOUT * 1000)
        wait_for_script_run(warm, LOAD_TIMEOUT)
    except Exception as exc:  # noqa: BLE001
        raise RuntimeError(f"first load failed: {exc}\n{srv.logs()[-5000:]}") from exc
    finally:
        context.close()
    return srv


def _fills(frame, colours) -> int:
    """Hazard zones (not choropleth polygons, whose colours may coincide) of ``colours``."""
    return frame.locator(", ".join(f'path.pp-hazard[fill="{c}"]' for c in colours)).count()


# The map of the new choice: the map stays mounted and draws a new view (peta-map.js
# numbers them in data-pp-view), with its hazard zones and rings (they come from a file
# fetched after the choropleth; the old view's went when the new one began).
_VIEW = """() => {
  const f = document.querySelector('%s');
  const m = f && f.contentDocument && f.contentDocument.querySelector('.leaflet-container');
  return m && m.getAttribute('data-pp-view');
}""" % ST_FOLIUM_IFRAME.replace("'", '"')
_NEW_HAZARD_MAP = """(before) => {
  const f = document.querySelector('%s');
  const d = f && f.contentDocument;
  const m = d && d.querySelector('.leaflet-container');
  return !!m && m.getAttribute('data-pp-view') !== before
    && d.querySelectorAll('path.pp-hazard').length > 0
    && d.querySelectorAll('path.pp-high').length > 0;
}""" % ST_FOLIUM_IFRAME.replace("'", '"')


def test_karhutla_zones_and_exposed_list(server, page, external_requests, page_errors,
                                         screenshot_dir):
    page.goto(server.url + "/risiko_bencana?wilayah=62", wait_until="domcontentloaded")
    wait_for_script_run(page, LOAD_TIMEOUT)
    page.locator('[data-testid="stRadio"] label').filter(
        has_text="Kebakaran hutan dan lahan").first.wait_for(timeout=LOAD_TIMEOUT * 1000)
    page.screenshot(path=str(screenshot_dir / "risiko_bencana-62-semua-1920.png"))
    page.frame_locator(ST_FOLIUM_IFRAME).first.locator(
        ".leaflet-container[data-pp-view]").wait_for(timeout=LOAD_TIMEOUT * 1000)
    before = page.evaluate(_VIEW)
    page.locator('[data-testid="stRadio"] label').filter(
        has_text="Kebakaran hutan dan lahan").first.click(no_wait_after=True,
                                                        timeout=LOAD_TIMEOUT * 1000)
    time.sleep(1)
    wait_for_script_run(page, LOAD_TIMEOUT)
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    karhutla, banjir = ht.get("karhutla").ramp, ht.get("banjir").ramp
    page.wait_for_function(_NEW_HAZARD_MAP, arg=before, timeout=LOAD_TIMEOUT * 1000,
                           polling=100)
    assert _fills(frame, karhutla) >= 3           # rendah, sedang, tinggi zones
    assert _fills(frame, banjir) == 0             # only the chosen type
    # Posyandu in tinggi are ringed in black
    assert frame.locator('path.pp-high[stroke="#000000"][fill="#ffffff"]').count() > 0
    heading = page.get_by_text("Daftar Posyandu terpapar — Kebakaran hutan dan lahan")
    expect(heading).to_be_visible()
    caption = page.get_by_text("Posyandu dalam daftar")
    expect(caption).to_be_visible()
    n = int(caption.inner_text().split()[0].replace(".", ""))
    assert n > 0
    expect(page.get_by_text("DATA SAMPEL").first).to_be_visible()
    expect(page.get_by_role("button", name="Unduh GeoJSON")).to_be_visible()
    assert external_requests == [] and page_errors == []
    page.screenshot(path=str(screenshot_dir / "risiko_bencana-62-karhutla-1920.png"))
    heading.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "risiko_bencana-62-karhutla-list-1920.png"))
    page.set_viewport_size({"width": 1366, "height": 768})
    time.sleep(2)
    page.evaluate("window.scrollTo(0, 0)")
    page.locator('[data-testid="stMain"]').evaluate("e => e.scrollTo(0, 0)")
    time.sleep(1)
    page.screenshot(path=str(screenshot_dir / "risiko_bencana-62-karhutla-1366.png"))
