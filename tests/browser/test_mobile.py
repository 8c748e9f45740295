"""The dashboard on a phone (390x844, is_mobile, touch, device scale 3) and the breadcrumb
on desktop, in headless Chromium against the real app and data (province 62).

On a phone: the sidebar starts collapsed and the pickers are one tap away in the quick bar
at the top of the page; key figures wrap (their text fits their box); the page never
scrolls sideways; the legend sits under the map; every region of the province lies inside
the map frame; a one-finger swipe over the map scrolls the page (needs the map's gesture
handling, issue 11); the breadcrumb leads back to Indonesia. On desktop the breadcrumb's
links go up a level keeping the other URL parameters.

Region polygons are located through Leaflet's API inside the map iframe (each GeoJSON
feature's bounds projected to container pixels), so the check holds for an SVG or a
canvas renderer alike.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import CHOROPLETH, ST_FOLIUM_IFRAME, wait_for_script_run
from playwright.sync_api import Page, expect
from test_dashboard import (
    LOAD_TIMEOUT,
    PROVINCE,
    _expected_children,
    _no_traffic_problems,
    _open,
    _screenshot,
    server,  # noqa: F401  (fixture)
)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 3,
         "user_agent": ("Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 "
                        "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36")}
QUICK_BAR = ".st-key-pp-quickbar"
BREADCRUMB = "nav.pp-breadcrumb"
# path → (page title, at least this many key figures at province level)
PHONE_PAGES = {"/": ("Ringkasan", 8), "/stunting": ("Stunting", 1),
               "/konektivitas": ("Konektivitas", 0)}

# Every element of a key figure (the key-figure list's labels and values, components.kpi;
# the region's rank box .pp-keyfig; and what they contain)
# whose content is wider or taller than its box, i.e. cut off or scrolled. A figure's help
# text is hidden on purpose until hovered or focused (.pp-kf-tip).
_TRUNCATED = """
() => {
  const sel = '.pp-kfs dt, .pp-kfs dd, .pp-keyfig';
  const out = [];
  let count = 0;
  for (const fig of document.querySelectorAll(sel)) {
    count += 1;
    for (const el of [fig, ...fig.querySelectorAll('*')]) {
      if (el.clientWidth === 0 && el.clientHeight === 0) continue;  // inline/svg
      if (el.closest('.pp-kf-tip')) continue;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
        out.push({text: fig.innerText, tag: el.tagName, sw: el.scrollWidth,
                  cw: el.clientWidth, sh: el.scrollHeight, ch: el.clientHeight});
    }
  }
  return {count, truncated: out};
}
"""

# Inside the map iframe: the map's size and each choropleth region's bounding box in
# container pixels (features with a "code" property: the choropleth, not hazard zones).
_REGION_BOXES = """
() => {
  let map = null;
  const layers = [];
  for (const key of Object.keys(window)) {
    let v;
    try { v = window[key]; } catch (e) { continue; }
    if (v instanceof L.Map) map = v;
    else if (v instanceof L.GeoJSON) layers.push(v);
  }
  const regions = [];
  for (const layer of layers) layer.eachLayer(l => {
    const code = ((l.feature || {}).properties || {}).code;
    if (!code || !l.getBounds) return;
    const b = l.getBounds();
    const nw = map.latLngToContainerPoint(b.getNorthWest());
    const se = map.latLngToContainerPoint(b.getSouthEast());
    regions.push({code: String(code), left: nw.x, top: nw.y, right: se.x, bottom: se.y});
  });
  const size = map.getSize();
  return {width: size.x, height: size.y, regions};
}
"""

# The element that scrolls the page around the map (Streamlit scrolls stMain, not the
# document): its scrollTop.
_SCROLL_TOP = """
() => {
  let e = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
  while (e && e !== document.body) {
    const oy = getComputedStyle(e).overflowY;
    if (/(auto|scroll)/.test(oy) && e.scrollHeight > e.clientHeight) return e.scrollTop;
    e = e.parentElement;
  }
  return document.scrollingElement.scrollTop;
}
"""


@pytest.fixture
def browser_context_args():
    return PHONE


def _wait_for_choropleth(page: Page, expected: int, timeout: float = LOAD_TIMEOUT) -> None:
    """Wait until the map shows ``expected`` choropleth polygons and has refitted. (On a
    phone some small regions are a pixel wide, which Playwright calls hidden: count the
    attached polygons rather than wait for a visible one.)"""
    # the page's first map (Konektivitas has a second one, the site plan)
    expect(page.locator(ST_FOLIUM_IFRAME).first).to_be_attached(timeout=timeout * 1000)
    polygons = page.frame_locator(ST_FOLIUM_IFRAME).first.locator(CHOROPLETH)
    expect(polygons).to_have_count(expected, timeout=timeout * 1000)
    page.wait_for_timeout(1500)  # the map refits 0.3 s and 1.2 s after it is drawn


def _swipe_up(page: Page, x: float, y: float, distance: float = 300, steps: int = 12) -> None:
    """One finger from (x, y) upwards by ``distance`` px (downwards when negative), as real
    touch input (CDP)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart",
                                              "touchPoints": [{"x": x, "y": y}]})
        for i in range(1, steps + 1):
            cdp.send("Input.dispatchTouchEvent", {
                "type": "touchMove", "touchPoints": [{"x": x, "y": y - distance * i / steps}]})
            page.wait_for_timeout(16)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    finally:
        cdp.detach()
    page.wait_for_timeout(600)  # scrolling settles


def _regions_inside_map(page: Page) -> dict:
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    boxes = frame.locator("body").evaluate(_REGION_BOXES)
    iframe = page.locator(ST_FOLIUM_IFRAME).first.bounding_box()
    # The map fills its frame, and the frame fits the phone's width.
    assert abs(boxes["width"] - iframe["width"]) <= 2, (boxes, iframe)
    assert abs(boxes["height"] - iframe["height"]) <= 2, (boxes, iframe)
    assert iframe["x"] >= 0 and iframe["x"] + iframe["width"] <= 390 + 1, iframe
    outside = [r for r in boxes["regions"]
               if r["left"] < -1 or r["top"] < -1 or r["right"] > boxes["width"] + 1
               or r["bottom"] > boxes["height"] + 1]
    assert not outside, (f"regions drawn outside the {boxes['width']}x{boxes['height']} "
                         f"map frame: {outside}")
    return boxes


@pytest.mark.parametrize("path", list(PHONE_PAGES), ids=lambda p: p.strip("/") or "ringkasan")
def test_phone_province_view(server, page, path, external_requests, failed_requests,  # noqa: F811
                             page_errors, screenshot_dir):
    title, min_figures = PHONE_PAGES[path]
    _open(page, server, f"{path}?wilayah={PROVINCE}")
    expect(page.locator("h1").first).to_have_text(title)
    kabupaten = _expected_children("kabupaten", PROVINCE)
    _wait_for_choropleth(page, len(kabupaten))
    sidebar = page.get_by_test_id("stSidebar")
    shot = f"phone_{path.strip('/') or 'ringkasan'}_{PROVINCE}"

    # The sidebar starts collapsed: it does not cover the page.
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    box = sidebar.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0, box
    _screenshot(page, screenshot_dir / f"{shot}_top.png")

    # Key figures wrap: none is cut off.
    figures = page.evaluate(_TRUNCATED)
    assert figures["count"] >= min_figures, figures
    assert figures["truncated"] == [], figures["truncated"]
    # The page never scrolls sideways (wide tables scroll inside their own frame).
    widths = page.evaluate("""() => [document.documentElement.scrollWidth, innerWidth,
        document.querySelector('[data-testid="stMain"]').scrollWidth]""")
    assert widths[0] <= widths[1] and widths[2] <= widths[1], widths

    # The breadcrumb above the map names the province.
    crumb = page.locator(BREADCRUMB)
    expect(crumb).to_have_text(re.compile(r"Indonesia\s*›\s*Kalimantan Tengah"))
    # The legend sits under the map.
    iframe = page.locator(ST_FOLIUM_IFRAME).first
    iframe.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1500)  # the map refits once its frame has its size
    map_box, legend_box = iframe.bounding_box(), page.locator(".pp-legend").bounding_box()
    assert legend_box["y"] >= map_box["y"] + map_box["height"] - 1, (map_box, legend_box)
    # All the province's regions lie inside the map frame.
    boxes = _regions_inside_map(page)
    assert {r["code"] for r in boxes["regions"]} == set(kabupaten)
    _screenshot(page, screenshot_dir / f"{shot}_map.png")

    # A one-finger swipe scrolls the page: first over the legend (the gesture works at
    # all), then over the map (needs the map's gesture handling, issue 11). Over the legend
    # the finger moves down (the page scrolls back up, towards the map above it): below
    # the legend the page may end soon (its tables and downloads are drawn when opened).
    legend = page.locator(".pp-legend")
    legend.evaluate("el => el.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    legend_box = legend.bounding_box()
    before = page.evaluate(_SCROLL_TOP)
    _swipe_up(page, legend_box["x"] + 40, legend_box["y"] + 10, -200)
    after_text = page.evaluate(_SCROLL_TOP)
    assert after_text < before - 50, ("a swipe over the legend did not scroll", before,
                                      after_text)
    iframe.evaluate("el => el.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    map_box = iframe.bounding_box()
    before = page.evaluate(_SCROLL_TOP)
    _swipe_up(page, map_box["x"] + map_box["width"] / 2, map_box["y"] + map_box["height"] * 0.7)
    after = page.evaluate(_SCROLL_TOP)
    assert after > before + 100, ("a one-finger swipe over the map did not scroll the page "
                                  "(map gesture handling, issue 11)", before, after)
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)


def test_phone_quick_bar_and_breadcrumb_up(server, page, external_requests,  # noqa: F811
                                           failed_requests, page_errors, screenshot_dir):
    from geo.indicators import registry as indicators

    _open(page, server, f"/stunting?wilayah={PROVINCE}")
    _wait_for_choropleth(page, len(_expected_children("kabupaten", PROVINCE)))
    # One tap opens the quick bar with the region and survey pickers of the page.
    bar = page.locator(QUICK_BAR)
    expect(bar).to_be_visible()
    bar.locator("summary").tap()
    expect(bar.get_by_role("combobox", name="Provinsi")).to_have_value("Kalimantan Tengah")
    expect(bar.get_by_role("combobox", name="Indikator")).to_be_visible()
    survey = bar.get_by_role("combobox", name="Survei/tahun")
    expect(survey).to_be_visible()
    _screenshot(page, screenshot_dir / "phone_quick_bar.png")

    # Picking in the bar changes the view and the URL, like the sidebar.
    registry = indicators.get("stunting_registri").label("id")
    bar.get_by_role("combobox", name="Indikator").click()
    page.get_by_role("option", name=registry).click()
    expect(page).to_have_url(re.compile(r"[?&]indikator=stunting_registri(&|$)"),
                             timeout=LOAD_TIMEOUT * 1000)
    wait_for_script_run(page, LOAD_TIMEOUT)
    expect(page.get_by_test_id("stSidebar").get_by_role("combobox", name="Indikator")
           ).to_have_value(registry)

    # The breadcrumb leads back to Indonesia, keeping the indicator.
    page.locator(BREADCRUMB).get_by_role("link", name="Indonesia").tap()
    expect(page).not_to_have_url(re.compile(r"[?&]wilayah="), timeout=LOAD_TIMEOUT * 1000)
    wait_for_script_run(page, LOAD_TIMEOUT)
    assert urlparse(page.url).path == "/stunting", page.url
    assert parse_qs(urlparse(page.url).query).get("indikator") == ["stunting_registri"], page.url
    _wait_for_choropleth(page, len(_expected_children("provinsi", None)))
    expect(page.locator(BREADCRUMB)).to_have_text("Indonesia")
    _screenshot(page, screenshot_dir / "phone_stunting_indonesia.png")
    # A link loads a new page: requests of the page left behind are aborted, not failed.
    failed_requests[:] = [f for f in failed_requests if "net::ERR_ABORTED" not in f]
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)
