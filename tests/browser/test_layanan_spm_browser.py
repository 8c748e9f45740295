"""Layanan SPM in Chromium (issue 14): the page at province 62 at 1920×1080 and 1366×768
(screenshots for a human to look at), no request leaving 127.0.0.1; and a registry kept
per village without coordinates (SIP style) is counted on the map but drawn as no point."""
from __future__ import annotations

import time

import pytest
from conftest import CHOROPLETH, ST_FOLIUM_IFRAME, wait_for_script_run
from playwright.sync_api import expect
from test_dashboard import FIRST_LOAD_TIMEOUT, LOAD_TIMEOUT, _no_traffic_problems, _screenshot

SIZES = {"1920x1080": {"width": 1920, "height": 1080}, "1366x768": {"width": 1366, "height": 768}}

# Counts the Posyandu the map's marker cluster holds (FastMarkerCluster), 0 without one.
_COUNT_POINTS = """
() => {
  let n = 0;
  for (const key of Object.keys(window)) {
    let layer;
    try { layer = window[key]; } catch (e) { continue; }
    if (layer && L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup)
      n += layer.getLayers().length;
  }
  return n;
}
"""


def _open_spm(page, server, query: str, timeout: float) -> None:
    page.goto(server.url + "/layanan_spm" + query, wait_until="domcontentloaded",
              timeout=timeout * 1000)
    wait_for_script_run(page, timeout)
    expect(page.get_by_role("heading", name="Layanan SPM").first).to_be_visible(
        timeout=timeout * 1000)
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    # "attached": the first polygon may be a sliver too small to count as visible
    frame.locator(CHOROPLETH).first.wait_for(state="attached", timeout=timeout * 1000)
    page.wait_for_timeout(1500)


@pytest.fixture(scope="module")
def sample_server(streamlit_server, data_dir):
    return streamlit_server("app.py", {"PETA_DATA_DIR": str(data_dir)}, timeout=180)


@pytest.mark.parametrize("size", list(SIZES))
def test_layanan_spm_province_62(sample_server, browser, size, screenshot_dir):
    from geo.regions import boundaries as regions
    context = browser.new_context(viewport=SIZES[size], service_workers="block")
    page = context.new_page()
    external, failed, errors = [], [], []

    def handle(route, request):
        if request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            external.append(request.url)
            route.abort("blockedbyclient")

    page.route("**/*", handle)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: failed.append(f"{r.url} (HTTP {r.status})")
            if r.status >= 400 else None)
    try:
        _open_spm(page, sample_server, "?wilayah=62", FIRST_LOAD_TIMEOUT)
        frame = page.frame_locator(ST_FOLIUM_IFRAME).first
        expect(frame.locator(CHOROPLETH)).to_have_count(len(regions.children("62")),
                                                        timeout=LOAD_TIMEOUT * 1000)
        # matrix table and the strata bar (Vega-Lite, drawn locally)
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
        expect(page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible(
            timeout=LOAD_TIMEOUT * 1000)
        _screenshot(page, screenshot_dir / f"layanan_spm_prov62_{size}.png")
        page.locator("[data-testid='stVegaLiteChart']").first.scroll_into_view_if_needed()
        _screenshot(page, screenshot_dir / f"layanan_spm_prov62_{size}_strata.png")
        _no_traffic_problems(external, failed, errors, page)
    finally:
        context.close()


SIP = ("Nama Posyandu;Kode Desa;Desa/Kelurahan;Jumlah Kader;Strata;Bidang Kesehatan;"
       "Bidang Sosial\n"
       "Posyandu Mawar 1;6271011001;Pahandut;5;Madya;ya;ya\n"
       "Posyandu Melati;6271011002;Panarung;6;Purnama;ya;tidak\n"
       "Posyandu Anggrek;6271021001;Marang;4;Mandiri;ya;ya\n")


@pytest.fixture(scope="module")
def sip_server(streamlit_server, data_dir, tmp_path_factory):
    """The app on a workspace holding only a SIP-style registry without coordinates."""
    from geo import workspace
    from geo.importers.posyandu import import_posyandu
    folder = tmp_path_factory.mktemp("ws-sip")
    path = folder / "sip.csv"
    path.write_text(SIP, encoding="utf-8")
    import os
    before = os.environ.get("PETA_WORKSPACE_DIR")
    os.environ["PETA_WORKSPACE_DIR"] = str(folder / "ws")
    try:
        res = import_posyandu(path)
        assert res.report.accepted_rows == [2, 3, 4]
        workspace.save("posyandu", res.data, name="sip.csv", source="sip.csv", report=res.report)
    finally:
        os.environ["PETA_WORKSPACE_DIR"] = before or ""
    return streamlit_server("app.py", {"PETA_DATA_DIR": str(data_dir),
                                       "PETA_WORKSPACE_DIR": str(folder / "ws")}, timeout=180)


def test_registry_without_coordinates_draws_no_points(sip_server, page, external_requests,
                                                      failed_requests, page_errors,
                                                      screenshot_dir):
    started = time.monotonic()
    _open_spm(page, sip_server, "?wilayah=62.71", FIRST_LOAD_TIMEOUT)
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    assert frame.locator("body").evaluate(_COUNT_POINTS) == 0
    # ... yet counted: the matrix has Pahandut (2 Posyandu) and Bukit Batu (1)
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    expect(page.get_by_text("3 Posyandu tanpa titik koordinat").first).to_be_visible()
    _screenshot(page, screenshot_dir / "layanan_spm_sip_6271.png")
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)
    assert time.monotonic() - started < FIRST_LOAD_TIMEOUT * 2
