"""A folium map in Streamlit renders fully in a real browser with no internet access.

Every request that is not for 127.0.0.1/localhost is aborted and recorded by the
``page`` fixture, so this fails as soon as anything (a CDN script, a font, a tile,
usage statistics) would be fetched from outside.
"""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

APP = "tests/browser/apps/offline_map_app.py"


@pytest.fixture(scope="module")
def server(streamlit_server):
    return streamlit_server(APP)


def test_map_renders_offline(
    server,
    open_app,
    page,
    map_frame,
    external_requests,
    failed_requests,
    all_requests,
    page_errors,
    screenshot_dir,
    record_property,
):
    started = time.monotonic()
    open_app(server)
    frame = map_frame()

    # Leaflet draws each GeoJson polygon as an SVG <path class="leaflet-interactive">
    # inside the st_folium iframe (markers are <div>/<img>, not paths).
    polygons = frame.locator("path.leaflet-interactive")
    polygons.first.wait_for(state="visible", timeout=30_000)
    assert polygons.count() == 2

    # 50 markers in a MarkerCluster: cluster bubbles with their counts. While the
    # map zooms (fit_bounds) the bubbles of two zoom levels coexist: poll until the
    # animation is over and the counts add up.
    clusters = frame.locator(".marker-cluster")
    clusters.first.wait_for(state="visible", timeout=30_000)
    deadline = time.monotonic() + 15
    while True:
        counts = [int(text) for text in clusters.all_inner_texts() if text.strip()]
        if sum(counts) == 50 or time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
    assert sum(counts) == 50, counts
    map_seconds = time.monotonic() - started
    record_property("streamlit_startup_seconds", round(server.startup_seconds, 2))
    record_property("map_render_seconds", round(map_seconds, 2))

    # Hovering a polygon shows its GeoJsonTooltip (rendered inside the iframe).
    polygons.nth(0).hover()
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.first.wait_for(state="visible")
    assert "Wilayah Barat" in tooltip.first.inner_text()
    polygons.nth(1).hover()
    expect(frame.locator(".leaflet-tooltip").first).to_contain_text("Wilayah Timur")

    page.screenshot(path=str(screenshot_dir / "offline_map.png"))

    # Marker images and icon fonts came from static/vendor (a 404 would be in
    # failed_requests) and the fonts are really in use.
    loaded = " ".join(all_requests)
    for name in ("marker-icon.png", "markers-soft.png", "fa-solid-900.woff2", "glyphicons-halflings-regular.woff2"):
        assert "/app/static/vendor/" in loaded and name in loaded, name
    assert frame.locator(".awesome-marker i.fa-house-medical").count() == 1
    assert frame.locator(".awesome-marker i.glyphicon-info-sign").count() == 1
    fonts_ok = frame.locator("body").evaluate(
        """async () => {
            await document.fonts.ready;
            return [document.fonts.check('900 14px "Font Awesome 6 Free"'),
                    document.fonts.check('14px "Glyphicons Halflings"')];
        }"""
    )
    assert fonts_ok == [True, True]

    # A click goes back to Python (returned_objects) and reruns the script.
    polygons.nth(1).click()
    expect(page.get_by_text("Terakhir diklik:")).to_contain_text("Wilayah Timur", timeout=30_000)

    assert external_requests == []
    assert failed_requests == []
    assert page_errors == []
    print(
        f"\nstreamlit startup {server.startup_seconds:.2f}s, "
        f"page load to map rendered {map_seconds:.2f}s"
    )
