"""The real dashboard (``streamlit run app.py``) in headless Chromium, on 127.0.0.1.

One server for the whole module (the ``streamlit_server`` factory caches it). The first
page load builds the caches (national sample join, display geometry, indicator table),
so the module warms the server up once with a generous timeout before the tests run.

Every test checks that nothing left the machine (``external_requests``), that no local
request failed and that no JavaScript error happened (page or map iframe), and saves a
1920x1080 screenshot to ``tests/browser/screenshots/`` (git-ignored) for a human to look at.

The choropleth's polygons are counted in the DOM of the st_folium iframe. Leaflet draws
polygons *and* the Posyandu circle markers as ``path.leaflet-interactive`` (both with
``fill-rule="evenodd"``), and hazard zones are paths too, so the choropleth is told apart
by its stroke colour: ``components.map.view.BORDER`` (#4d4d4d), or black for regions that
are outlined (Kader: below the standard) or highlighted under the mouse.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import CHOROPLETH, ST_FOLIUM_IFRAME, VIEWPORT, wait_for_script_run, wait_map_settled
from playwright.sync_api import Page, expect

APP = "app.py"
FIRST_LOAD_TIMEOUT = 180.0  # s: cold caches on a 2-core machine
LOAD_TIMEOUT = 90.0         # s: a page load once the caches are warm
PROVINCE = "62"             # Kalimantan Tengah

# URL path → page title (Bahasa Indonesia), for the pages that draw the choropleth.
MAP_PAGES = {
    "/": "Ringkasan",
    "/stunting": "Stunting",
    "/kader": "Kader",
    "/risiko_bencana": "Risiko Bencana",
    "/konektivitas": "Konektivitas",
    "/layanan_spm": "Layanan SPM",
    "/peringkat": "Peringkat",
}
OTHER_PAGES = {"/tentang_data": "Tentang Data", "/kelola_data": "Kelola Data"}


# Tags every polygon of the map's GeoJSON layers with its feature's code and name
# (folium declares each layer as a global of the iframe) and returns, for each
# choropleth polygon, a point (relative to its bounding box) where the polygon itself is
# the topmost element, i.e. where a real mouse reaches it and not a cluster bubble.
_TAG_AND_HIT_POINTS = """
() => {
  const out = [];
  for (const key of Object.keys(window)) {
    let layer;
    try { layer = window[key]; } catch (e) { continue; }
    if (!(layer instanceof L.GeoJSON)) continue;
    layer.eachLayer(l => {
      const p = l._path, props = (l.feature || {}).properties || {};
      if (!p || !props.code) return;
      p.setAttribute('data-code', props.code);
      p.setAttribute('data-name', props.name);
      const stroke = p.getAttribute('stroke');
      if (stroke !== '#4d4d4d' && stroke !== '#000000') return;
      const r = p.getBoundingClientRect();
      const on = (x, y) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight
                           && document.elementFromPoint(x, y) === p;
      // A grid point well inside the polygon (5 px around it are the polygon too),
      // the one nearest to the centre of the bounding box.
      let hit = null, best = Infinity;
      const n = 16, d = 5, cx = r.left + r.width / 2, cy = r.top + r.height / 2;
      for (let i = 1; i < n; i++) for (let j = 1; j < n; j++) {
        const x = r.left + r.width * i / n, y = r.top + r.height * j / n;
        if (!(on(x, y) && on(x - d, y) && on(x + d, y) && on(x, y - d) && on(x, y + d))) continue;
        const dist = (x - cx) ** 2 + (y - cy) ** 2;
        if (dist < best) { best = dist; hit = {x: x - r.left, y: y - r.top}; }
      }
      out.push({code: String(props.code), name: props.name, area: r.width * r.height, hit});
    });
  }
  return out;
}
"""


def _expected_children(level: str, parent: str | None) -> dict[str, str]:
    """code → name of the Kemendagri code list's regions of ``level`` under ``parent``."""
    from geo.regions import boundaries as regions

    codes = regions.code_list(level)
    if parent:
        codes = codes.loc[codes["parent_code"] == parent]
    return dict(zip(codes["code"], codes["name"]))


@pytest.fixture(scope="module")
def server(streamlit_server, data_dir, browser):
    """The dashboard, warmed up: the first load (cold caches) may take minutes."""
    srv = streamlit_server(APP, {"PETA_DATA_DIR": str(data_dir)}, timeout=180)
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    warm = context.new_page()
    started = time.monotonic()
    try:
        warm.goto(srv.url + "/", wait_until="domcontentloaded")
        warm.frame_locator(ST_FOLIUM_IFRAME).first.locator(CHOROPLETH).first.wait_for(
            state="visible", timeout=FIRST_LOAD_TIMEOUT * 1000)
        wait_for_script_run(warm, FIRST_LOAD_TIMEOUT)
    except Exception as exc:  # noqa: BLE001 (re-raised with the server's log)
        raise RuntimeError(f"first page load failed: {exc}\n--- server log ---\n"
                           f"{srv.logs()[-5000:]}") from exc
    finally:
        context.close()
    srv.first_load_seconds = time.monotonic() - started
    print(f"\nstreamlit startup {srv.startup_seconds:.1f}s, first (cold) page load "
          f"{srv.first_load_seconds:.1f}s")
    return srv


def _open(page: Page, server, path: str, timeout: float = LOAD_TIMEOUT) -> float:
    """Open a page, wait for the script run; return seconds taken."""
    started = time.monotonic()
    page.goto(server.url + path, wait_until="domcontentloaded", timeout=timeout * 1000)
    wait_for_script_run(page, timeout)
    return time.monotonic() - started


def _mark_map_stale(page: Page) -> None:
    """Mark the polygons drawn now, so that a wait after a rerun waits for the new map."""
    page.frame_locator(ST_FOLIUM_IFRAME).first.locator("body").evaluate(
        "() => document.querySelectorAll('path').forEach(p => p.setAttribute('data-stale', '1'))")


def _wait_for_choropleth(page: Page, expected: int, timeout: float = LOAD_TIMEOUT):
    """Wait until the page's first map (the choropleth; Konektivitas has the site-plan map
    below it) shows ``expected`` choropleth polygons (not marked stale by
    ``_mark_map_stale``); return the frame."""
    expect(page.locator(ST_FOLIUM_IFRAME).first).to_be_attached(timeout=timeout * 1000)
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    polygons = frame.locator(", ".join(f"{sel.strip()}:not([data-stale])"
                                       for sel in CHOROPLETH.split(",")))
    polygons.first.wait_for(state="visible", timeout=timeout * 1000)
    expect(polygons).to_have_count(expected, timeout=timeout * 1000)
    # The map fits its bounds again 0.3 s and 1.2 s after it is drawn (mapview._Refit,
    # once Streamlit has sized the iframe): let it settle before the mouse aims at it.
    wait_map_settled(frame, timeout)
    return frame


def _center_map(page: Page) -> None:
    """Scroll the map to the middle of the window (away from Streamlit's sticky header),
    so that the points aimed at below stay where they are."""
    page.locator(ST_FOLIUM_IFRAME).first.evaluate("el => el.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(100)


def _hover_region(page: Page, frame, names: dict[str, str]) -> tuple[str, str]:
    """Hover over the largest hoverable region; check its tooltip; return (code, text)."""
    _center_map(page)
    regions = [r for r in frame.locator("body").evaluate(_TAG_AND_HIT_POINTS) if r["hit"]]
    assert regions, "no choropleth polygon can be reached by the mouse"
    region = max(regions, key=lambda r: r["area"])
    target = frame.locator(f'path[data-code="{region["code"]}"]')
    target.hover(position=region["hit"])
    tooltip = frame.locator(".leaflet-tooltip")
    expect(tooltip.first).to_be_visible()
    text = tooltip.first.inner_text()
    assert names[region["code"]] in text, (region, text)
    return region["code"], text


# Opening a page's URL directly (/stunting), Streamlit's frontend first probes the page
# path as the server's base path (/stunting/_stcore/health, .../host-config: 404), then
# falls back to "/" (streamlit/streamlit#7074). Only those two probes are tolerated.
_BASE_PATH_PROBE = re.compile(r"^http://127\.0\.0\.1:\d+/[a-z_-]+/_stcore/(health|host-config) \(HTTP 404\)$")


def _no_traffic_problems(external_requests, failed_requests, page_errors, page: Page):
    assert external_requests == [], external_requests
    failed = [f for f in failed_requests if not _BASE_PATH_PROBE.match(f)]
    assert failed == [], failed
    assert page_errors == [], page_errors
    assert page.get_by_test_id("stException").count() == 0, \
        page.get_by_test_id("stException").first.inner_text()


def _screenshot(page: Page, path: Path) -> None:
    """Screenshot once the page and the map have painted: under load, headless Chromium
    can otherwise capture half-rasterised layers (blank map areas, white boxes)."""
    two_frames = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    page.evaluate(two_frames)
    if page.locator(ST_FOLIUM_IFRAME).count():
        page.frame_locator(ST_FOLIUM_IFRAME).first.locator("body").evaluate(two_frames)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(path))


def _shot_name(path: str, region: str, suffix: str = "") -> str:
    name = path.strip("/") or "ringkasan"
    return f"dashboard_{name}_{region or 'indonesia'}{suffix}.png"


@pytest.mark.parametrize("region", ["", PROVINCE], ids=["indonesia", "prov62"])
@pytest.mark.parametrize("path", list(MAP_PAGES), ids=lambda p: p.strip("/") or "ringkasan")
def test_map_page(server, page, path, region, external_requests, failed_requests, page_errors,
                  screenshot_dir, record_property):
    query = f"?wilayah={region}" if region else ""
    seconds = _open(page, server, path + query)
    expect(page.locator("h1").first).to_have_text(MAP_PAGES[path])

    names = (_expected_children("kabupaten", region) if region
             else _expected_children("provinsi", None))
    assert len(names) == (14 if region == PROVINCE else 38)
    frame = _wait_for_choropleth(page, len(names))
    record_property("page_load_seconds", round(seconds, 2))

    legend = page.locator(".pp-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("Tidak ada data")
    _screenshot(page, screenshot_dir / _shot_name(path, region))

    _hover_region(page, frame, names)
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)


@pytest.mark.parametrize("path", list(OTHER_PAGES), ids=lambda p: p.strip("/"))
def test_page_without_map(server, page, path, external_requests, failed_requests, page_errors,
                          screenshot_dir):
    _open(page, server, path)
    expect(page.locator("h1").first).to_have_text(OTHER_PAGES[path])
    _screenshot(page, screenshot_dir / _shot_name(path, ""))
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)


_VIEW = """() => document.querySelector('.leaflet-container').getAttribute('data-pp-view')"""


def test_map_stays_mounted_from_page_to_page(server, page, external_requests, failed_requests,
                                            page_errors, screenshot_dir):
    """A click on another page's link keeps the map (the same iframe document: Leaflet and
    the map's scripts are not loaded again) and draws that page's view in it: Ringkasan's
    Posyandu circles go, Kader's outlines of the regions below the standard come; back on
    Ringkasan, its view again."""
    _open(page, server, f"/?wilayah={PROVINCE}")
    kabupaten = _expected_children("kabupaten", PROVINCE)
    frame = _wait_for_choropleth(page, len(kabupaten))
    body = frame.locator("body")
    body.evaluate("() => { window.__sameDocument = 'ya'; }")
    circles = frame.locator("path.pp-symbol")
    expect(circles).to_have_count(len(kabupaten))        # Posyandu per kabupaten
    outlined = frame.locator('path.pp-region[stroke-dasharray="6 4"]')
    assert outlined.count() == 0
    loaded = []
    page.on("request", lambda r: loaded.append(r.url))

    for title in ("Kader", "Ringkasan"):
        before = body.evaluate(_VIEW)
        page.get_by_test_id("stSidebarNavLink").filter(has_text=title).first.click()
        expect(page.locator("h1").first).to_have_text(title, timeout=LOAD_TIMEOUT * 1000)
        wait_for_script_run(page, LOAD_TIMEOUT)
        page.wait_for_function(
            """([sel, before]) => { const f = document.querySelector(sel);
                 const m = f && f.contentDocument.querySelector('.leaflet-container');
                 return m && m.getAttribute('data-pp-view') !== before; }""",
            arg=[ST_FOLIUM_IFRAME, before], timeout=LOAD_TIMEOUT * 1000)
        assert body.evaluate("() => window.__sameDocument") == "ya", "the map was reloaded"
        expect(frame.locator(CHOROPLETH)).to_have_count(len(kabupaten))
        if title == "Kader":
            below = re.search(r"(\d+) dari (\d+) wilayah", page.get_by_text(
                "di bawah 5 kader per Posyandu").first.inner_text())
            assert below and int(below.group(2)) == len(kabupaten), below
            expect(outlined).to_have_count(int(below.group(1)))
            _screenshot(page, screenshot_dir / "dashboard_kader_after_click_62.png")
        else:
            expect(outlined).to_have_count(0)
        expect(circles).to_have_count(len(kabupaten))    # both pages show Posyandu per region
    reloaded = [u for u in loaded if re.search(r"leaflet\.js|st_folium/index\.html|peta-map", u)]
    assert reloaded == [], reloaded
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)


def test_click_drills_down_to_kecamatan(server, page, external_requests, failed_requests,
                                        page_errors, screenshot_dir, record_property):
    _open(page, server, f"/?wilayah={PROVINCE}")
    kabupaten = _expected_children("kabupaten", PROVINCE)
    frame = _wait_for_choropleth(page, len(kabupaten))
    code, _ = _hover_region(page, frame, kabupaten)
    hit = next(r for r in frame.locator("body").evaluate(_TAG_AND_HIT_POINTS) if r["code"] == code)
    assert hit["hit"], hit

    # A click opens a popup with the region's name and value and "Buka wilayah ini";
    # only that button drills down (a tap while scrolling must not).
    frame.locator(f'path[data-code="{code}"]').click(position=hit["hit"])
    popup = frame.locator(".leaflet-popup")
    expect(popup).to_contain_text(kabupaten[code])
    assert re.search(rf"[?&]wilayah={re.escape(PROVINCE)}(&|$)", page.url), page.url
    _mark_map_stale(page)
    started = time.monotonic()
    popup.get_by_role("button", name="Buka wilayah ini").click()
    # The URL changes through the history API (no navigation event): poll it.
    expect(page).to_have_url(re.compile(rf"[?&]wilayah={re.escape(code)}(&|$)"),
                             timeout=LOAD_TIMEOUT * 1000)

    kecamatan = _expected_children("kecamatan", code)
    assert kecamatan, f"no kecamatan of {code} in the code list"
    wait_for_script_run(page, LOAD_TIMEOUT)
    frame = _wait_for_choropleth(page, len(kecamatan))
    record_property("drill_down_seconds", round(time.monotonic() - started, 2))
    expect(page.get_by_role("heading", level=2).filter(has_text=kabupaten[code])).to_be_visible()
    # The sidebar follows the map: the regency picker shows the clicked regency.
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("combobox", name="Kabupaten/Kota")).to_have_value(kabupaten[code])
    _screenshot(page, screenshot_dir / f"dashboard_drilldown_{code}.png")

    _hover_region(page, frame, kecamatan)
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)


def test_language_toggle(server, page, external_requests, failed_requests, page_errors,
                         screenshot_dir):
    _open(page, server, "/")
    provinces = _expected_children("provinsi", None)
    _wait_for_choropleth(page, len(provinces))
    expect(page.locator("h1").first).to_have_text("Ringkasan")
    expect(page.locator(".pp-legend")).to_contain_text("Tidak ada data")

    _mark_map_stale(page)
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(page.locator("h1").first).to_have_text("Overview", timeout=LOAD_TIMEOUT * 1000)
    wait_for_script_run(page, LOAD_TIMEOUT)
    assert re.search(r"[?&]lang=en(&|$)", page.url), page.url
    frame = _wait_for_choropleth(page, len(provinces))
    legend = page.locator(".pp-legend")
    expect(legend).to_contain_text("No data")
    expect(legend).not_to_contain_text("Tidak ada data")
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_contain_text("Overview")
    expect(nav).not_to_contain_text("Ringkasan")
    _screenshot(page, screenshot_dir / "dashboard_ringkasan_indonesia_en.png")
    _, tooltip = _hover_region(page, frame, provinces)
    assert "Name" in tooltip and "Nama" not in tooltip, tooltip
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)


_VISIBLE_LABEL_BOXES = """
() => [...document.querySelectorAll('.pp-label')]
  .filter(el => getComputedStyle(el).visibility !== 'hidden')
  .map(el => { const r = el.getBoundingClientRect();
               return {text: el.innerText, l: r.left, r: r.right, t: r.top, b: r.bottom}; })
"""


@pytest.mark.parametrize("region", ["", PROVINCE], ids=["indonesia", "prov62"])
def test_projector_mode(server, page, region, external_requests, failed_requests, page_errors,
                        screenshot_dir):
    # The projector of a meeting room: 1366x768; the map must fit the window.
    page.set_viewport_size({"width": 1366, "height": 768})
    _open(page, server, "/?proyektor=1" + (f"&wilayah={region}" if region else ""))
    kabupaten = (_expected_children("kabupaten", region) if region
                 else _expected_children("provinsi", None))
    frame = _wait_for_choropleth(page, len(kabupaten))
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    box = page.locator(ST_FOLIUM_IFRAME).first.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 768 + 1, box
    assert box["height"] >= 360, box
    legend = page.locator(".pp-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("Tidak ada data")
    # Region names are written on the map; those that would overlap a larger region's
    # name are hidden, so the visible ones never pile up.
    expect(frame.locator(".pp-label")).to_have_count(len(kabupaten))
    boxes = frame.locator("body").evaluate(_VISIBLE_LABEL_BOXES)
    assert len(boxes) >= len(kabupaten) // 2, boxes
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert (a["r"] <= b["l"] or b["r"] <= a["l"] or a["b"] <= b["t"]
                    or b["b"] <= a["t"]), (a, b)
    _screenshot(page, screenshot_dir / f"dashboard_proyektor_{region or 'indonesia'}_1366.png")
    _hover_region(page, frame, kabupaten)
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)


def test_national_map_shows_posyandu_in_aggregate(server, page, external_requests,
                                                  failed_requests, page_errors):
    """Indonesia: one proportional circle per province with Posyandu (not 300k points),
    and the count in each province's tooltip."""
    from geo import datasets

    _open(page, server, "/")
    provinces = _expected_children("provinsi", None)
    frame = _wait_for_choropleth(page, len(provinces))
    with_posyandu = datasets.joined_posyandu()["kode_agregasi"].astype(str).str[:2].nunique()
    expect(frame.locator("path.pp-symbol")).to_have_count(with_posyandu)
    expect(frame.locator('path.leaflet-interactive[stroke="#08306b"]')).to_have_count(0)
    _, tooltip = _hover_region(page, frame, provinces)
    assert "Jumlah Posyandu" in tooltip, tooltip
    expect(page.locator(".pp-legend")).to_contain_text("jumlah Posyandu per wilayah")
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)


def test_touch_tap_shows_region_and_button_drills_down(server, browser, screenshot_dir):
    """A phone: one finger scrolls the page (gesture handling on), a tap on a region
    shows its name and value without drilling down, "Buka wilayah ini" drills down."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2,
                                  service_workers="block")
    external: list[str] = []

    def handle(route, request):
        host = request.url.split("/")[2].split(":")[0] if "//" in request.url else ""
        if request.url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            external.append(request.url)
            route.abort("blockedbyclient")

    page = context.new_page()
    page.route("**/*", handle)
    try:
        _open(page, server, f"/?wilayah={PROVINCE}")
        kabupaten = _expected_children("kabupaten", PROVINCE)
        frame = _wait_for_choropleth(page, len(kabupaten))
        assert frame.locator("body").evaluate("() => window.map.gestureHandling.enabled()")
        _center_map(page)
        regions = [r for r in frame.locator("body").evaluate(_TAG_AND_HIT_POINTS) if r["hit"]]
        region = max(regions, key=lambda r: r["area"])
        frame.locator(f'path[data-code="{region["code"]}"]').tap(position=region["hit"])
        popup = frame.locator(".leaflet-popup")
        expect(popup).to_contain_text(kabupaten[region["code"]])
        expect(popup).to_contain_text("Jumlah Posyandu")
        page.wait_for_timeout(1000)
        assert re.search(rf"[?&]wilayah={PROVINCE}(&|$)", page.url), page.url
        page.screenshot(path=str(screenshot_dir / "dashboard_touch_popup_390.png"))
        popup.get_by_role("button", name="Buka wilayah ini").tap()
        expect(page).to_have_url(re.compile(rf"[?&]wilayah={re.escape(region['code'])}(&|$)"),
                                 timeout=LOAD_TIMEOUT * 1000)
        assert external == []
    finally:
        context.close()
