"""The lean first view in Chromium (issue 29): Ringkasan of Kalimantan Tengah draws its key
figures as one list (no st.metric card, no grid, no warning box), says DATA SAMPEL in its
one notice line, shows a figure's help on keyboard focus, loads the map's scripts as one
file, and draws the region table when asked, keeping it open on the next page.
Screenshots at 1920×1080, 1366×768 and 390×844, normal and projector mode."""
from __future__ import annotations

import pytest
from conftest import (
    CHOROPLETH,
    KEY_FIGURE,
    NOTICE,
    ST_FOLIUM_IFRAME,
    key_figures,
    wait_for_script_run,
    wait_map_settled,
)
from playwright.sync_api import Page, expect

APP = "app.py"
LOAD = 120_000
PROVINCE = "62"
SIZES = [(1920, 1080), (1366, 768), (390, 844)]


@pytest.fixture(scope="module")
def server(streamlit_server, data_dir):
    return streamlit_server(APP, {"PETA_DATA_DIR": str(data_dir)}, timeout=180)


def _open(page: Page, server, path: str) -> None:
    page.goto(server.url + path, wait_until="domcontentloaded", timeout=LOAD)
    wait_for_script_run(page, LOAD / 1000)


def _map_drawn(page: Page, regions: int) -> None:
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    expect(frame.locator(CHOROPLETH)).to_have_count(regions, timeout=LOAD)
    wait_map_settled(frame)


def _kabupaten() -> int:
    from geo.regions import boundaries
    return len(boundaries.children(PROVINCE))


def _posyandu_in_province() -> str:
    from geo import datasets
    codes = datasets.joined_posyandu()["kode_agregasi"].astype(str)
    return f"{int(codes.str.startswith(PROVINCE + '.').sum()):,}".replace(",", ".")


def test_ringkasan_is_lean_and_says_everything(server, page, all_requests, external_requests,
                                               page_errors, screenshot_dir):
    page.set_viewport_size({"width": 1366, "height": 768})
    _open(page, server, f"/?wilayah={PROVINCE}")
    _map_drawn(page, _kabupaten())

    # One list of eight figures, the same numbers as geo; no metric cards, no grid.
    expect(page.locator(KEY_FIGURE)).to_have_count(8)
    figures = key_figures(page)
    assert figures["Posyandu"] == _posyandu_in_province(), figures
    assert all(v and v != "–" for v in figures.values()), figures
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    expect(page.get_by_test_id("stAlert")).to_have_count(0)
    # One notice line names both samples.
    expect(page.locator(NOTICE)).to_have_count(1)
    expect(page.locator(NOTICE)).to_contain_text("DATA SAMPEL — Posyandu buatan")
    expect(page.locator(NOTICE)).to_contain_text("zona bahaya buatan")

    # The hazard figure's help: hidden, shown on keyboard focus, part of the label's text.
    label = page.locator(f"{KEY_FIGURE} dt").filter(has_text="zona bahaya tinggi")
    tip = label.locator(".pp-kf-tip")
    assert tip.bounding_box()["width"] <= 1
    label.locator(".pp-kf-help").focus()
    expect(tip).to_contain_text("Semua jenis bahaya di data")
    assert tip.bounding_box()["width"] > 150, tip.bounding_box()
    page.screenshot(path=str(screenshot_dir / "lean_help_focus_1366.png"))
    page.keyboard.press("Tab")                # focus moves on: hidden again
    assert tip.bounding_box()["width"] <= 1

    # The map's scripts: one file from the bundle, not Leaflet and four others in a row.
    scripts = [u for u in all_requests if "/app/static/vendor/" in u and u.endswith(".js")]
    assert scripts and all("/app/static/vendor/_bundle/peta-map-" in u for u in scripts), scripts
    assert external_requests == [] and page_errors == []


def test_region_table_opens_and_stays_open_on_the_next_page(server, page, page_errors,
                                                              screenshot_dir):
    page.set_viewport_size({"width": 1366, "height": 768})
    _open(page, server, f"/?wilayah={PROVINCE}")
    _map_drawn(page, _kabupaten())
    table = page.locator(".pp-table table")
    expect(table).to_have_count(0)
    summary = page.get_by_test_id("stExpander").filter(has_text="Tabel nilai").locator("summary")
    summary.click()
    expect(table.locator("tbody tr")).to_have_count(_kabupaten(), timeout=LOAD)
    expect(table.locator("caption")).to_contain_text("Kalimantan Tengah")
    wait_for_script_run(page, LOAD / 1000)
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Kader").first.click()
    expect(page.locator("h1").first).to_have_text("Kader", timeout=LOAD)
    wait_for_script_run(page, LOAD / 1000)
    expect(table.locator("tbody tr")).to_have_count(_kabupaten(), timeout=LOAD)
    expect(table.locator("thead th").filter(has_text="Kader per Posyandu")).to_have_count(1)
    assert page_errors == []


# Map pages and their titles, in the order a visitor might click them.
MAP_PAGES = ["Stunting", "Kader", "Konektivitas", "Risiko Bencana", "Ringkasan"]


def test_every_element_finds_its_place_when_the_map_goes_first(server, page, console_errors,
                                                                 page_errors):
    """components.map.first sends a map page's map before its other elements: on a first
    view (an empty page) and on each page change every element is placed (Streamlit's
    browser code refuses an element whose container is not there yet: "Bad delta path")."""
    page.set_viewport_size({"width": 1366, "height": 768})
    _open(page, server, f"/?wilayah={PROVINCE}")
    _map_drawn(page, _kabupaten())
    for title in MAP_PAGES:
        frame = page.locator(ST_FOLIUM_IFRAME).first
        before = frame.content_frame.locator(".leaflet-container").get_attribute("data-pp-view")
        page.get_by_test_id("stSidebarNavLink").filter(has_text=title).first.click()
        expect(page.locator("h1").first).to_have_text(title, timeout=LOAD)
        wait_for_script_run(page, LOAD / 1000)
        expect(frame.content_frame.locator(".leaflet-container")).not_to_have_attribute(
            "data-pp-view", before or "", timeout=LOAD)      # the mounted map drew the view
        _map_drawn(page, _kabupaten())
        expect(page.get_by_test_id("stSidebar").get_by_text("Provinsi")).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
    assert not [e for e in console_errors if "delta" in e.lower()], console_errors
    assert page_errors == []


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_screenshots(server, page, size, projector, screenshot_dir):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    _open(page, server, f"/?wilayah={PROVINCE}" + ("&proyektor=1" if projector else ""))
    _map_drawn(page, _kabupaten())
    if not projector:
        expect(page.locator(KEY_FIGURE)).to_have_count(8)
        # every figure fits the window: nothing cut off at the right
        for box in page.locator(KEY_FIGURE).evaluate_all(
                "els => els.map(e => e.getBoundingClientRect().right)"):
            assert box <= width + 1, (box, width)
    mode = "projector" if projector else "normal"
    page.screenshot(path=str(screenshot_dir / f"lean_ringkasan_{mode}_{width}x{height}.png"))
