"""Projector mode in headless Chromium (issue 24), Kalimantan Tengah (62):

* the DATA SAMPEL stamp is drawn inside the map whenever the view shows sample data (the
  generated registry, sample hazards) — `/kader?wilayah=62` in projector mode — and not
  on a view of published values only; in English too; outside projector mode and on
  Konektivitas' site plan map too;
* the presenter's keys: → / PageDown the next map page, ← / PageUp back, ↓ / ↑ the next /
  previous region; also with the focus in the map; past the last page, the next region;
* the control is small, in the corner and nearly transparent;
* Risiko Bencana at 1366×768 and 1920×1080: hazard zones hatched (never read as a class
  of the choropleth), the legend inside the window, region labels ≥ 18 px at 1920×1080;
  screenshots in tests/browser/screenshots/.

Every wait is for the state asserted (URL, Streamlit's script state, the map's view
number), never a fixed sleep."""
from __future__ import annotations

import pytest
from conftest import ST_FOLIUM_IFRAME, VIEWPORT, wait_for_script_run, wait_map_settled
from playwright.sync_api import expect

from geo.regions import boundaries

LOAD_TIMEOUT = 600.0   # cold caches on a busy 2-core machine
PROVINCE = "62"

_VIEW = """() => {
  const f = document.querySelector('FRAME');
  const m = f && f.contentDocument && f.contentDocument.querySelector('.leaflet-container');
  return m ? m.getAttribute('data-pp-view') : null;
}""".replace("FRAME", ST_FOLIUM_IFRAME.replace("'", '"'))
# a view drawn after ``before`` (peta-map.js numbers the views of the mounted map)
_NEW_VIEW = """(before) => {
  const f = document.querySelector('FRAME');
  const m = f && f.contentDocument && f.contentDocument.querySelector('.leaflet-container');
  return !!m && m.getAttribute('data-pp-ready') === '1'
    && m.getAttribute('data-pp-view') !== before;
}""".replace("FRAME", ST_FOLIUM_IFRAME.replace("'", '"'))
_HATCHED = """() => {
  const f = document.querySelector('FRAME');
  const d = f && f.contentDocument;
  return !!d && d.querySelectorAll('path.pp-hazard[data-pp-hatch]').length > 0
    && d.querySelectorAll('path.pp-high').length > 0;
}""".replace("FRAME", ST_FOLIUM_IFRAME.replace("'", '"'))


@pytest.fixture(scope="module")
def server(streamlit_server, data_dir, browser):
    srv = streamlit_server("app.py", {"PETA_DATA_DIR": str(data_dir)}, timeout=180)
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    warm = context.new_page()
    try:   # the first load builds the caches
        warm.goto(srv.url + f"/kader?wilayah={PROVINCE}&proyektor=1",
                  wait_until="domcontentloaded")
        warm.frame_locator(ST_FOLIUM_IFRAME).first.locator("path").first.wait_for(
            state="attached", timeout=LOAD_TIMEOUT * 1000)
        wait_for_script_run(warm, LOAD_TIMEOUT)
    except Exception as exc:  # noqa: BLE001
        raise RuntimeError(f"first load failed: {exc}\n{srv.logs()[-5000:]}") from exc
    finally:
        context.close()
    return srv


def _open(page, server, path: str) -> None:
    page.goto(server.url + path, wait_until="domcontentloaded")
    wait_for_script_run(page, LOAD_TIMEOUT)
    page.wait_for_function(_NEW_VIEW, arg=None, timeout=LOAD_TIMEOUT * 1000, polling=100)


def _press(page, key: str, url_part: str, before: str | None) -> None:
    """Press ``key`` and wait for the view it opens: the URL, the script run, the map."""
    page.keyboard.press(key)
    page.wait_for_url(lambda u: url_part in u, timeout=LOAD_TIMEOUT * 1000)
    wait_for_script_run(page, LOAD_TIMEOUT)
    page.wait_for_function(_NEW_VIEW, arg=before, timeout=LOAD_TIMEOUT * 1000, polling=100)


def _stamp(page):
    return page.frame_locator(ST_FOLIUM_IFRAME).first.locator(".pp-sample")


def test_projector_shows_the_sample_stamp_on_the_map(server, page, external_requests,
                                                     page_errors, screenshot_dir):
    page.set_viewport_size({"width": 1366, "height": 768})
    _open(page, server, f"/kader?wilayah={PROVINCE}&proyektor=1")
    stamp = _stamp(page)
    expect(stamp).to_be_visible()
    expect(stamp).to_contain_text("DATA SAMPEL")
    expect(stamp).to_contain_text("Posyandu buatan")
    style = stamp.evaluate("e => { const s = getComputedStyle(e); "
                           "return [s.color, s.backgroundColor, parseFloat(s.fontSize)]; }")
    assert style[0] == "rgb(179, 0, 0)" and style[1] == "rgb(255, 255, 255)", style
    assert style[2] >= 24, style                       # projector: large
    # inside the map, on the screen
    box = stamp.bounding_box()
    frame_box = page.locator(ST_FOLIUM_IFRAME).first.bounding_box()
    assert box and frame_box["y"] <= box["y"] and box["y"] + box["height"] <= 768, (box, frame_box)
    page.screenshot(path=str(screenshot_dir / "proyektor-kader-62-stamp-1366.png"))
    # published values only (stunting, no Posyandu drawn): no stamp
    before = page.evaluate(_VIEW)
    _press(page, "ArrowLeft", "/stunting", before)
    expect(_stamp(page)).to_be_hidden()
    # and in English
    _open(page, server, f"/kader?wilayah={PROVINCE}&proyektor=1&lang=en")
    expect(_stamp(page)).to_be_visible()
    expect(_stamp(page)).to_contain_text("SAMPLE DATA")
    # outside projector mode too (beside the notice above the map), and on the site plan
    _open(page, server, f"/konektivitas?wilayah={PROVINCE}")
    expect(_stamp(page)).to_contain_text("DATA SAMPEL")
    expect(page.get_by_text("DATA SAMPEL").first).to_be_visible()     # the notice
    plan = page.frame_locator(ST_FOLIUM_IFRAME).nth(1).locator(".pp-sample")
    expect(plan).to_contain_text("DATA SAMPEL", timeout=LOAD_TIMEOUT * 1000)
    assert external_requests == [] and page_errors == []


def test_projector_keys_change_page_and_region(server, page, external_requests, page_errors,
                                               screenshot_dir):
    kabupaten = sorted(boundaries.children(PROVINCE)["code"].astype(str))
    first, second = kabupaten[0], kabupaten[1]
    _open(page, server, f"/stunting?wilayah={first}&proyektor=1")
    # the control: small, in the bottom-right corner, nearly transparent
    bar = page.locator(".st-key-pp-presenter")
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    assert box["width"] < 400 and box["height"] < 70, box
    assert box["x"] > VIEWPORT["width"] / 2 and box["y"] > VIEWPORT["height"] / 2, box
    assert float(bar.evaluate("e => getComputedStyle(e).opacity")) < 0.35
    page.screenshot(path=str(screenshot_dir / "proyektor-kontrol-1920.png"))

    _press(page, "ArrowRight", "/kader", page.evaluate(_VIEW))          # next page
    assert f"wilayah={first}" in page.url and "proyektor=1" in page.url
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()            # still projecting
    _press(page, "ArrowLeft", "/stunting", page.evaluate(_VIEW))        # back
    _press(page, "ArrowDown", f"wilayah={second}", page.evaluate(_VIEW))   # next region
    assert "/stunting" in page.url
    expect(page.locator("h1").first).to_contain_text(
        str(boundaries.region_names()[second]))
    _press(page, "ArrowUp", f"wilayah={first}", page.evaluate(_VIEW))   # previous region
    # a clicker's PageDown / PageUp, with the focus in the map (after a click on it)
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    wait_map_settled(frame)
    frame.locator(".leaflet-container").focus()
    _press(page, "PageDown", "/kader", page.evaluate(_VIEW))
    frame.locator(".leaflet-container").focus()
    _press(page, "PageUp", "/stunting", page.evaluate(_VIEW))
    # past the last map page: the next region's first page
    _open(page, server, f"/peringkat?wilayah={first}&proyektor=1")
    _press(page, "ArrowRight", f"wilayah={second}", page.evaluate(_VIEW))
    assert "/peringkat" not in page.url and "/stunting" not in page.url, page.url
    assert external_requests == [] and page_errors == []


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366", "1920"])
def test_projector_hazard_map_is_readable(server, page, size, external_requests, page_errors,
                                          screenshot_dir):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    _open(page, server, f"/risiko_bencana?wilayah={PROVINCE}&proyektor=1")
    page.wait_for_function(_HATCHED, timeout=LOAD_TIMEOUT * 1000, polling=100)
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    wait_map_settled(frame)
    page.screenshot(path=str(screenshot_dir / f"proyektor-risiko_bencana-62-{width}.png"))
    # zones hatched (a pattern, not a flat fill the choropleth could have)
    fills = frame.locator("path.pp-hazard").evaluate_all(
        "els => els.map(e => e.getAttribute('fill'))")
    assert fills and all(f.startswith("url(#pp-hatch-") for f in fills), fills[:5]
    expect(frame.locator("pattern[id^='pp-hatch-']").first).to_be_attached()
    expect(_stamp(page)).to_contain_text("DATA SAMPEL")
    # the legend fits the window
    legend = page.locator(".pp-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("Zona kebakaran hutan dan lahan")
    lbox = legend.bounding_box()
    assert lbox["y"] + lbox["height"] <= height and lbox["x"] + lbox["width"] <= width, lbox
    # region labels: >= 18 px on a 1920×1080 projector
    sizes = frame.locator(".pp-label").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= (18 if width >= 1920 else 15), sizes
    assert external_requests == [] and page_errors == []
