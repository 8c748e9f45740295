"""Change over time and uncertainty on the live map (issue 26): the split view (two synced
maps; its link round-trips), the timeline (play steps through every period), the change
map's not-comparable regions, and the hatching of unreliable registry rates."""
from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlparse

from conftest import ST_FOLIUM_IFRAME, wait_map_settled
from playwright.sync_api import expect
from test_dashboard import (
    LOAD_TIMEOUT,
    PROVINCE,
    _expected_children,
    _no_traffic_problems,
    _open,
    _screenshot,
    _wait_for_choropleth,
    server,  # noqa: F401  (fixture)
)

SPLIT = f"/peringkat?wilayah={PROVINCE}&peta=berdampingan&survei=SSGI+2024&banding=SKI+2023"
CENTERS = """() => {
    const s = window.pp_split;
    if (!s) return null;
    const a = s.left.getCenter(), b = s.right.getCenter();
    return [a.lat, a.lng, s.left.getZoom(), b.lat, b.lng, s.right.getZoom()];
}"""


def _until(read, ok, timeout: float = LOAD_TIMEOUT):
    """Poll ``read()`` until ``ok(value)`` (a state the map reaches after an event), and
    return that value; fail with the last value after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    value = read()
    while not ok(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"state not reached: {value}")
        time.sleep(0.1)
        value = read()
    return value


def _synced(c, ref=None) -> bool:
    """Both maps at the same zoom and centre (within 1.5 screen pixels: two maps of a few
    pixels' different width round their centre differently)."""
    if c is None or c[2] != c[5]:
        return False
    px = 1.5 * 360 / (256 * 2 ** c[2])        # degrees of longitude in 1.5 pixels
    return abs(c[0] - c[3]) < px and abs(c[1] - c[4]) < px and (ref is None or ref(c))


def _split_drawn(page, n: int):
    frame = _wait_for_choropleth(page, n)
    expect(frame.locator("#map_div[data-pp-split='1']")).to_be_attached()
    expect(frame.locator(".pp-split-right path.pp-region-right")).to_have_count(n)
    expect(frame.locator(".pp-period")).to_have_text(["SKI 2023", "SSGI 2024"])
    wait_map_settled(frame)
    return frame


def test_split_view_in_projector_mode(server, page, external_requests,  # noqa: F811
                                      failed_requests, page_errors, screenshot_dir):
    n = len(_expected_children("kabupaten", PROVINCE))
    _open(page, server, SPLIT + "&proyektor=1")
    _split_drawn(page, n)
    _screenshot(page, screenshot_dir / "periods_split_projector_62.png")
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)


def test_split_view_two_synced_maps_and_its_link(server, page, external_requests,  # noqa: F811
                                                 failed_requests, page_errors, screenshot_dir):
    n = len(_expected_children("kabupaten", PROVINCE))
    _open(page, server, SPLIT)
    frame = _split_drawn(page, n)
    body = frame.locator("body")
    before = _until(lambda: body.evaluate(CENTERS), _synced)
    # one legend for both: each class with its count per period
    legend = page.locator(".pp-legend")
    expect(legend).to_contain_text("|")
    # pan the left map with the mouse: the right map follows. The mouse comes in over the
    # map's background first, as a hand does (leaflet-gesture-handling enables dragging
    # when the pointer enters the map).
    box = page.locator(ST_FOLIUM_IFRAME).first.bounding_box()
    x, y = box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.5
    page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + 8)
    page.mouse.move(x, y, steps=5)
    page.mouse.down()
    page.mouse.move(x + 120, y + 60, steps=8)
    page.mouse.up()
    moved = _until(lambda: body.evaluate(CENTERS),
                   lambda c: _synced(c, lambda c: abs(c[1] - before[1]) > 0.1))
    assert moved[1] < before[1]          # dragged east: the centre went west
    # zoom the right map with its own button: the left one follows
    frame.locator(".pp-split-right .leaflet-control-zoom-in").click()
    _until(lambda: body.evaluate(CENTERS),
           lambda c: _synced(c, lambda c: c[5] > moved[5]))
    _screenshot(page, screenshot_dir / "periods_split_62.png")
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)

    # the link says what is shown and opens it again
    query = parse_qs(urlparse(page.url).query)
    assert query["peta"] == ["berdampingan"] and query["banding"] == ["SKI 2023"]
    assert query["survei"] == ["SSGI 2024"] and query["wilayah"] == [PROVINCE]
    link = page.url
    page.goto("about:blank")
    page.goto(link, wait_until="domcontentloaded")
    frame = _split_drawn(page, n)
    expect(page.get_by_role("heading", level=2).filter(has_text="SKI 2023 | SSGI 2024")) \
        .to_have_count(1)

    # drill down from the right map: its popup's "Buka wilayah ini" opens the regency
    frame.locator("body").evaluate("""() => window.pp_split.right.eachLayer(l => {
        if (l.feature && l.feature.properties.code === '62.03') {
            l.openPopup(l.getBounds().getCenter());
        }
    })""")
    button = frame.locator(".pp-split-right .pp-open")
    expect(button).to_have_attribute("data-code", "62.03")
    button.click()
    expect(page).to_have_url(re.compile(r"[?&]wilayah=62\.03(&|$)"),
                             timeout=LOAD_TIMEOUT * 1000)


def test_timeline_steps_through_every_period(server, page, external_requests,  # noqa: F811
                                             failed_requests, page_errors, screenshot_dir):
    n = len(_expected_children("provinsi", None))
    _open(page, server, "/peringkat?peta=lini_waktu&survei=SSGI+2021")
    frame = _wait_for_choropleth(page, n)
    container = frame.locator("#map_div")
    expect(container).to_have_attribute("data-pp-period", "SSGI 2021")
    fills = "() => Array.from(document.querySelectorAll('path.pp-region'))" \
            ".map(p => p.getAttribute('fill')).join(',')"
    first = frame.locator("body").evaluate(fills)
    frame.locator(".pp-play").click()
    for period in ("SSGI 2022", "SKI 2023", "SSGI 2024"):     # each new view, in order
        expect(container).to_have_attribute("data-pp-period", period)
        expect(frame.locator(".pp-period-now")).to_have_text(period)
    expect(frame.locator(".pp-play")).to_have_attribute("aria-label", "Putar")  # stopped
    assert frame.locator("body").evaluate(fills) != first    # recoloured, classes fixed
    _screenshot(page, screenshot_dir / "periods_timeline_ssgi2024.png")
    # the slider picks a period
    frame.locator(".pp-slider").evaluate(
        "s => { s.value = '1'; s.dispatchEvent(new Event('input', {bubbles: true})); }")
    expect(container).to_have_attribute("data-pp-period", "SSGI 2022")
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)


def test_change_map_draws_papua_split_as_not_comparable(server, page, external_requests,  # noqa: F811
                                                        failed_requests, page_errors,
                                                        screenshot_dir):
    n = len(_expected_children("provinsi", None))
    _open(page, server, "/peringkat?peta=perubahan&survei=SSGI+2024&banding=SSGI+2022")
    frame = _wait_for_choropleth(page, n)
    region = """(body, code) => {
        let out = null;
        window.map._ppRegions.layer.eachLayer(l => {
            if (l.feature.properties.code === code) {
                l.openTooltip(l.getBounds().getCenter());
                const t = l.getTooltip() && l.getTooltip().getElement();
                out = [l._path.getAttribute('fill'), t ? t.innerText : ''];
                l.closeTooltip();
            }
        });
        return out;
    }"""
    fill, tooltip = frame.locator("body").evaluate(region, "91")
    assert fill == "#c2a5cf" and "pemekaran Papua 2022" in tooltip, (fill, tooltip)
    fill, tooltip = frame.locator("body").evaluate(region, "62")   # 26.9 → 22.1: membaik
    assert fill == "#67a9cf" and "SSGI 2022: 26,9 %" in tooltip, (fill, tooltip)
    expect(page.locator(".pp-legend")).to_contain_text("tidak dapat dibandingkan")
    _screenshot(page, screenshot_dir / "periods_change_ssgi2022_2024.png")
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)


def test_unreliable_registry_rates_are_hatched(server, page, external_requests,  # noqa: F811
                                               failed_requests, page_errors, screenshot_dir):
    kecamatan = "62.01.01"
    _open(page, server, f"/stunting?wilayah={kecamatan}&indikator=stunting_registri")
    frame = _wait_for_choropleth(page, len(_expected_children("desa", kecamatan)))
    hatched = int(frame.locator("#map_div").get_attribute("data-pp-hatched"))
    assert hatched >= 1
    expect(frame.locator("path.pp-hatch")).to_have_count(hatched)
    assert frame.locator("path.pp-hatch").first.get_attribute("fill").startswith("url(#pp-hatch-")
    expect(page.locator(".pp-legend")).to_contain_text("Arsir rapat: tidak akurat")
    _screenshot(page, screenshot_dir / "periods_hatching_62.01.01.png")
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)
