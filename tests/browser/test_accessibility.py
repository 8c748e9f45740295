"""Accessibility (WCAG 2.2 AA, issue 28) checked in the browser with axe-core, the engine
government accessibility audits use (bundled by axe-playwright-python; no download):

* every page of the navigation, in Bahasa Indonesia and in English, at 1366×768: no
  violation of impact "serious" or "critical", neither in the page nor in any map frame
  (each st_folium iframe is a document of its own, checked on its own);
* the map without a mouse: from Indonesia Tab reaches the provinces (each named by its
  name and value), Enter opens Kalimantan Tengah, then a kabupaten; Escape goes back up,
  level by level; the focused region is outlined.

One server for the module; the pages of a language share one browser context.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import ST_FOLIUM_IFRAME, wait_for_script_run, wait_map_settled
from playwright.sync_api import expect
from test_dashboard import (
    LOAD_TIMEOUT,
    PROVINCE,
    _expected_children,
    server,  # noqa: F401  (fixture)
)

from components import shell

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

VIEWPORT = {"width": 1366, "height": 768}
BLOCKING = ("serious", "critical")
# The pages of the navigation (Audit and Masuk exist only with the database store).
PATHS = ["" if i == 0 else url for i, (_, _, url) in enumerate(shell.PAGES)
         if url not in shell.LOGIN_PAGES]


@pytest.fixture
def browser_context_args():
    return {"viewport": VIEWPORT}


def _blocking(results) -> list[str]:
    return [f"{v['id']} ({v['impact']}): " + "; ".join(
                f"{n['target']} {n.get('failureSummary', '')[:160]!r}" for n in v["nodes"][:3])
            for v in results.response["violations"] if v["impact"] in BLOCKING]


def _map_view(page) -> str | None:
    """The data-pp-view of the first map (None while it has drawn no view)."""
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    return frame.locator("[data-pp-view]").first.get_attribute("data-pp-view")


def _wait_view_after(page, view: str | None) -> None:
    """Wait for the map's next view (data-pp-view other than ``view``) and the script run."""
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    selector = "[data-pp-ready][data-pp-view]" + (f":not([data-pp-view='{view}'])" if view else "")
    frame.locator(selector).first.wait_for(state="attached", timeout=LOAD_TIMEOUT * 1000)
    wait_for_script_run(page, LOAD_TIMEOUT)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_serious_axe_violations_on_any_page(server, page, lang, page_errors):  # noqa: F811
    axe = axe_sync.Axe()
    problems = {}
    for path in PATHS:
        query = f"?wilayah={PROVINCE}" + ("&lang=en" if lang == "en" else "")
        page.goto(f"{server.url}/{path}{query}", wait_until="domcontentloaded",
                  timeout=LOAD_TIMEOUT * 1000)
        wait_for_script_run(page, LOAD_TIMEOUT)
        if path in shell.MAP_PATHS:
            _wait_view_after(page, None)
        expect(page.locator("html")).to_have_attribute("lang", re.compile(".+"))
        found = _blocking(axe.run(page))
        for i, iframe in enumerate(page.locator(ST_FOLIUM_IFRAME).element_handles()):
            frame = iframe.content_frame()
            found += [f"map {i}: {p}" for p in _blocking(axe.run(frame))]
            if i == 0 and path in shell.MAP_PATHS:   # the choropleth's frame
                assert frame.evaluate("document.documentElement.lang") == lang
                assert frame.title().startswith("Peta: " if lang == "id" else "Map: ")
        if found:
            problems[f"/{path}"] = found
    assert not problems, problems
    assert not page_errors, page_errors


def _tab_to(page, frame, name: str, limit: int = 80) -> str:
    """Press Tab until the focused element of the map's frame is named ``name``…; return
    its accessible name."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        label = frame.evaluate("() => document.activeElement.getAttribute('aria-label') || ''")
        if label.startswith(name + ":"):
            return label
    raise AssertionError(f"{limit} presses of Tab never reached {name}")


def test_keyboard_drills_down_and_back_up(server, page, page_errors,  # noqa: F811
                                          screenshot_dir):
    provinces = _expected_children("provinsi", None)
    kabupaten = _expected_children("kabupaten", PROVINCE)
    kapuas = f"{PROVINCE}.03"
    page.goto(f"{server.url}/stunting", wait_until="domcontentloaded",
              timeout=LOAD_TIMEOUT * 1000)
    wait_for_script_run(page, LOAD_TIMEOUT)
    _wait_view_after(page, None)
    frame = page.locator(ST_FOLIUM_IFRAME).first.element_handle().content_frame()
    # The summary is read before the map, in the page and in the map's frame.
    expect(page.get_by_text(re.compile(r"^Peta ini menunjukkan .* tertinggi .* terendah "))) \
        .to_be_visible()
    assert frame.locator("main h1, [role=main] h1").count() == 1
    # Keyboard only: focus goes into the map (as Tab from the page would), then Tab.
    frame.locator(".leaflet-container").focus()
    label = _tab_to(page, frame, provinces[PROVINCE])
    assert re.fullmatch(rf"{provinces[PROVINCE]}: Prevalensi stunting \(survei\) \d+,\d %"
                        r"(, peringkat \d+ dari \d+)?", label), label
    focused = frame.locator("path.pp-region:focus")
    assert focused.get_attribute("role") == "button"
    assert float(focused.evaluate("p => parseFloat(getComputedStyle(p).strokeWidth)")) >= 4
    page.locator(ST_FOLIUM_IFRAME).first.screenshot(path=str(screenshot_dir / "a11y_focus_62.png"))

    view = _map_view(page)
    page.keyboard.press("Enter")
    _wait_view_after(page, view)
    assert parse_qs(urlparse(page.url).query)["wilayah"] == [PROVINCE], page.url
    expect(frame.locator("path.pp-region")).to_have_count(len(kabupaten))
    # focus stays in the map, on the new view's first region
    assert frame.evaluate("() => document.activeElement.classList.contains('pp-region')")
    _tab_to(page, frame, kabupaten[kapuas])
    page.locator(ST_FOLIUM_IFRAME).first.screenshot(
        path=str(screenshot_dir / "a11y_focus_kapuas.png"))

    view = _map_view(page)
    page.keyboard.press("Enter")
    _wait_view_after(page, view)
    assert parse_qs(urlparse(page.url).query)["wilayah"] == [kapuas], page.url
    expect(page.locator("nav.pp-breadcrumb")).to_contain_text(kabupaten[kapuas])

    for expected in ([PROVINCE], None):      # Escape: one level up, twice
        view = _map_view(page)
        page.keyboard.press("Escape")
        _wait_view_after(page, view)
        assert parse_qs(urlparse(page.url).query).get("wilayah") == expected, page.url
    expect(frame.locator("path.pp-region")).to_have_count(len(provinces))
    assert not page_errors, page_errors


_REGIONS_X = """() => {
    const c = document.querySelector('.leaflet-container').getBoundingClientRect();
    const ps = [...document.querySelectorAll('path.pp-region')].map(p => p.getBoundingClientRect());
    return [c.left, c.right, Math.min(...ps.map(r => r.left)), Math.max(...ps.map(r => r.right))];
}"""
_OPEN_EASTERNMOST = """() => {
    let best = null, east = -1e9;
    window.pp_choropleth.eachLayer(l => {
        const e = l.getBounds().getEast();
        if (e > east) { east = e; best = l; }
    });
    best.openPopup(best.getBounds().getCenter());
}"""
_POPUP_BOX = """() => {
    const p = document.querySelector('.leaflet-popup');
    if (!p) return null;
    const r = p.getBoundingClientRect(), c = document.querySelector('.leaflet-container')
        .getBoundingClientRect();
    return [r.left - c.left, c.right - r.right];
}"""


def test_phone_targets_fitted_map_popup_and_region_list(server, browser):  # noqa: F811
    """A phone (390×844): breadcrumb links and zoom buttons at least 24 px, the national
    map fitted to its frame, a popup of the easternmost province kept inside the map, and
    the searchable region list beside the map."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, service_workers="block")
    try:
        page = context.new_page()
        page.set_default_timeout(LOAD_TIMEOUT * 1000)
        page.goto(f"{server.url}/stunting?wilayah={PROVINCE}.03", wait_until="domcontentloaded")
        wait_for_script_run(page, LOAD_TIMEOUT)
        links = page.locator("nav.pp-breadcrumb a")
        expect(links).to_have_count(2)
        # the page's CSS (components.a11y) comes with the run; wait until it is applied
        page.wait_for_function(
            "() => { const a = [...document.querySelectorAll('nav.pp-breadcrumb a')];"
            " return a.length === 2 && a.every(x => { const r = x.getBoundingClientRect();"
            " return r.height >= 24 && r.width >= 24; }); }", timeout=LOAD_TIMEOUT * 1000)
        for i in range(2):
            box = links.nth(i).bounding_box()
            assert box["height"] >= 24 and box["width"] >= 24, box

        page.goto(f"{server.url}/stunting", wait_until="domcontentloaded")
        wait_for_script_run(page, LOAD_TIMEOUT)
        _wait_view_after(page, None)
        iframe = page.locator(ST_FOLIUM_IFRAME).first
        frame = iframe.element_handle().content_frame()
        map_frame = page.frame_locator(ST_FOLIUM_IFRAME).first
        wait_map_settled(map_frame)
        left, right, first, last = frame.evaluate(_REGIONS_X)
        assert left - 1 <= first and last <= right + 1, (left, right, first, last)
        assert (last - first) >= 0.7 * (right - left)       # fitted, not a small island
        for button in frame.locator(".leaflet-control-zoom a").all():
            box = button.bounding_box()
            assert box["height"] >= 24 and box["width"] >= 24, box
        iframe.scroll_into_view_if_needed()
        frame.evaluate(_OPEN_EASTERNMOST)
        expect(map_frame.locator(".leaflet-popup")).to_be_visible()
        frame.wait_for_function(      # the popup auto-pans into the map
            "() => { const p = document.querySelector('.leaflet-popup');"
            " const c = document.querySelector('.leaflet-container').getBoundingClientRect();"
            " if (!p) return false; const r = p.getBoundingClientRect();"
            " return r.left >= c.left && r.right <= c.right; }",
            timeout=LOAD_TIMEOUT * 1000)
        gap_left, gap_right = frame.evaluate(_POPUP_BOX)
        assert gap_left >= 0 and gap_right >= 0, (gap_left, gap_right)
        jump = page.get_by_role("combobox", name="Cari dan buka wilayah")
        expect(jump).to_be_attached()
        assert jump.bounding_box()["height"] >= 24
    finally:
        context.close()
