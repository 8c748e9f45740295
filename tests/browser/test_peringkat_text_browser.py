"""Peringkat reads as a person writes (issue 24): no None/nan/<NA> cell in the ranking table
(Bahasa Indonesia and English), Indonesian decimals ("27,9") in the Indonesian UI, decimal
points in the English one, and one rank sentence with both numbers where the comparison
restricts N."""
from __future__ import annotations

import re

import pytest
from conftest import open_url, wait_for_script_run
from playwright.sync_api import Page, expect

APP = "app.py"
LOAD = 120_000
RAW = re.compile(r"^(None|nan|NaN|<NA>|NaT|null)$")
VIEW = "/peringkat?indikator=stunting&survei=SSGI+2024&banding=SKI+2023"


def _cells(page: Page) -> list[list[str]]:
    """Cells of the ranking table (the last st.dataframe; glide-data-grid keeps an
    accessible copy of the visible cells). The grid is made tall enough to show all."""
    grid = page.get_by_test_id("stDataFrame").last
    grid.scroll_into_view_if_needed()
    expect(grid.locator('[role="gridcell"]').first).to_be_attached(timeout=LOAD)
    rows = []

    def collect():
        for row in grid.locator('[role="row"]').all():
            cells = [c.strip() for c in row.locator('[role="gridcell"]').all_inner_texts()]
            if cells and cells not in rows:
                rows.append(cells)
    collect()
    grid.hover()                      # then the bottom rows (regions without a value)
    for _ in range(4):
        page.mouse.wheel(0, 2000)
        page.wait_for_timeout(300)    # the grid redraws its DOM copy after a scroll
        collect()
    return rows


@pytest.mark.parametrize("lang", ["id", "en"])
def test_ranking_table_has_no_raw_values(streamlit_server, page, lang, screenshot_dir):
    server = streamlit_server(APP)
    page.set_viewport_size({"width": 1366, "height": 768})
    open_url(page, server.url + VIEW + ("&lang=en" if lang == "en" else ""))
    rows = _cells(page)
    assert len(rows) >= 10, rows
    raw = [c for r in rows for c in r if RAW.match(c)]
    assert raw == [], raw
    # Numbers as the UI language writes them: the legend of the map and the survey names in
    # Bahasa Indonesia use a decimal comma ("2,5–<10 %"), English a point. (The grid draws
    # its Styler display values on a canvas — "37,0", "–" — checked in
    # tests/app/test_localized_tables.py; its DOM copy holds the raw numbers.)
    legend = page.get_by_text(re.compile(r"^2[.,]5–<10 %"))
    expect(legend.first).to_be_visible(timeout=LOAD)
    assert legend.first.inner_text().startswith("2,5" if lang == "id" else "2.5")
    wait_for_script_run(page, LOAD / 1000)
    page.screenshot(path=str(screenshot_dir / f"peringkat_table_{lang}_1366.png"),
                    full_page=True)


def test_rank_sentence_says_both_numbers(streamlit_server, page, screenshot_dir):
    server = streamlit_server(APP)
    open_url(page, server.url + VIEW + "&wilayah=62")
    box = page.locator(".pp-keyfig").first
    expect(box).to_contain_text(re.compile(
        r"Kalimantan Tengah: peringkat \d+ dari (\d+); \d+ dari (\d+) provinsi yang punya nilai "
        r"pada kedua survei"), timeout=LOAD)
    text = box.inner_text()
    m = re.search(r"peringkat (\d+) dari (\d+); \d+ dari (\d+)", text)
    assert int(m.group(3)) < int(m.group(2)), text
    # the change in the key figure, with Indonesian decimals: "Nilai 23,5 (SKI 2023) → 22,1"
    assert re.search(r"Nilai \d+,\d \(SKI 2023\) → \d+,\d", text), text
    wait_for_script_run(page, LOAD / 1000)
    page.screenshot(path=str(screenshot_dir / "peringkat_62_1920.png"))
    # Stunting says the same rank for the same survey
    open_url(page, server.url + "/stunting?wilayah=62&survei=SSGI+2024")
    expect(page.locator(".pp-keyfig").first).to_contain_text(
        f"Kalimantan Tengah: peringkat {m.group(1)} dari {m.group(2)} (SSGI 2024)", timeout=LOAD)
