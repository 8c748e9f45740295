"""The Pokjanal meeting end to end (issue 27), with the file store in a fresh workspace:

* on the Stunting view of Kalimantan Tengah, the sidebar's "Rapat" panel adds the view to a
  new agenda and records a follow-up (decision, office, due date) with the view's figures;
* the Kader view is added to the same agenda from its own page;
* after a reload of the Rapat page the agenda holds both views in order and the follow-up
  is listed with its figures then and now;
* "Sajikan" opens the agenda in projector mode (no sidebar, no controls); → and PageDown
  step to the next view, PageUp back, Esc ends — each step waited for by its URL, its
  page heading and a drawn map, never a fixed sleep.
"""
from __future__ import annotations

import re

from conftest import CHOROPLETH, ST_FOLIUM_IFRAME, wait_for_script_run, wait_map_settled
from playwright.sync_api import Page, expect
from pptx import Presentation

from geo.config import cache_dir

APP = "app.py"
LOAD = 120_000
AGENDA = "Rakor Uji Desember"
DECISION = "Audit gizi balita di lima desa prioritas"


def _hooks(page: Page):
    """The sidebar's meeting panel, opened."""
    sidebar = page.get_by_test_id("stSidebar")
    panel = sidebar.get_by_test_id("stExpander").filter(has_text="Rapat: agenda dan tindak lanjut")
    panel.locator("summary").click()
    return panel


def _add_view_to_agenda(page: Page, new: bool) -> None:
    panel = _hooks(page)
    if new:
        panel.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="+ agenda baru").click()
        wait_for_script_run(page, LOAD / 1000)
        panel.get_by_label("Nama agenda baru").fill(AGENDA)
        panel.get_by_label("Nama agenda baru").press("Enter")
        wait_for_script_run(page, LOAD / 1000)
    panel.get_by_role("button", name="Tambah ke agenda").click()
    wait_for_script_run(page, LOAD / 1000)
    expect(page.get_by_text(re.compile(f"ditambahkan ke agenda {AGENDA}"))).to_be_visible()


def _map_drawn(page: Page) -> None:
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    expect(frame.locator(CHOROPLETH).first).to_be_attached(timeout=LOAD)
    wait_map_settled(frame)


def test_record_follow_up_and_present_agenda(streamlit_server, page: Page, tmp_path,
                                             screenshot_dir, page_errors):
    env = {"PETA_WORKSPACE_DIR": str(tmp_path / "ws"), "PETA_CACHE_DIR": str(cache_dir())}
    server = streamlit_server(APP, env, fresh=True)

    # 1. Stunting, Kalimantan Tengah: add to a new agenda, record a follow-up
    page.goto(server.url + "/stunting?wilayah=62&survei=SSGI+2024",
              wait_until="domcontentloaded", timeout=LOAD)
    wait_for_script_run(page, LOAD / 1000)
    _add_view_to_agenda(page, new=True)
    panel = page.get_by_test_id("stSidebar")
    if not panel.get_by_label("Keputusan / tindak lanjut").is_visible():
        _hooks(page)
    panel.get_by_label("Keputusan / tindak lanjut").fill(DECISION)
    panel.get_by_label("Penanggung jawab (instansi)").fill("Dinkes Provinsi")
    page.screenshot(path=str(screenshot_dir / "meeting_record_form.png"))
    panel.get_by_role("button", name="Simpan tindak lanjut").click()
    wait_for_script_run(page, LOAD / 1000)
    saved = page.get_by_text(re.compile(r"Tindak lanjut #1 disimpan: 22,1 % \(SSGI 2024\), "
                                        r"peringkat \d+ dari \d+"))
    expect(saved).to_be_visible()

    # 2. Kader, Kalimantan Tengah: add to the same agenda
    page.goto(server.url + "/kader?wilayah=62", wait_until="domcontentloaded", timeout=LOAD)
    wait_for_script_run(page, LOAD / 1000)
    _add_view_to_agenda(page, new=False)

    # 3. Rapat page after a reload: both views in order, the follow-up with then and now
    page.goto(server.url + "/rapat", wait_until="domcontentloaded", timeout=LOAD)
    wait_for_script_run(page, LOAD / 1000)
    page.reload(wait_until="domcontentloaded")
    wait_for_script_run(page, LOAD / 1000)
    main = page.get_by_test_id("stMain")
    items = main.locator("a", has_text=re.compile(r"— Kalimantan Tengah$"))
    expect(items).to_have_text(["Stunting — Kalimantan Tengah", "Kader — Kalimantan Tengah"])
    row = main.get_by_test_id("stTable").locator("tr", has_text=DECISION)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Dinkes Provinsi")
    expect(row).to_contain_text(re.compile(r"22,1 % \(SSGI 2024\), peringkat \d+ dari \d+"))
    page.screenshot(path=str(screenshot_dir / "meeting_rapat_page.png"), full_page=True)

    # the page's pack follows the agenda and ends with the follow-up
    main.get_by_role("button", name="Siapkan paket rapat agenda ini").click()
    wait_for_script_run(page, LOAD / 1000)
    with page.expect_download(timeout=LOAD) as download:
        main.get_by_role("button", name="Unduh paket rapat (PPTX) agenda ini").click()
    slides = [[sh.text_frame.text if sh.has_text_frame else
               " ".join(c.text for r in sh.table.rows for c in r.cells) if sh.has_table else ""
               for sh in slide.shapes] for slide in Presentation(download.value.path()).slides]
    assert [s[0] for s in slides] == [f"{AGENDA} — Indonesia", "1. Stunting — Kalimantan Tengah",
                                      "2. Kader — Kalimantan Tengah", "Tindak lanjut — Indonesia"]
    assert DECISION in " ".join(slides[-1]) and "Dinkes Provinsi" in " ".join(slides[-1])

    # 4. Present: projector mode, keys step through the agenda
    start = main.get_by_role("link", name=re.compile("Sajikan")).get_attribute("href")
    assert start.startswith("/stunting?") and "proyektor=1" in start and "langkah=1" in start
    page.goto(server.url + start, wait_until="domcontentloaded", timeout=LOAD)
    wait_for_script_run(page, LOAD / 1000)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_text(re.compile("^Prevalensi stunting .* — Kalimantan Tengah"))
           .first).to_be_visible()
    _map_drawn(page)
    expect(page.get_by_text(re.compile(f"{AGENDA} · 1/2"))).to_be_attached()
    visible_buttons = [b for b in page.get_by_test_id("stMain").get_by_role("button").all()
                       if b.is_visible()]
    assert [b.inner_text() for b in visible_buttons if b.inner_text().strip()] == []
    page.screenshot(path=str(screenshot_dir / "meeting_present_1.png"))

    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/kader\?.*langkah=2"), timeout=LOAD)
    wait_for_script_run(page, LOAD / 1000)
    expect(page.get_by_text(re.compile("^Kader per Posyandu per kabupaten/kota"))
           .first).to_be_visible()
    _map_drawn(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    page.screenshot(path=str(screenshot_dir / "meeting_present_2.png"))

    page.keyboard.press("PageDown")              # the last view: stays
    wait_for_script_run(page, LOAD / 1000)
    expect(page).to_have_url(re.compile(r"/kader\?.*langkah=2"))
    page.keyboard.press("PageUp")
    expect(page).to_have_url(re.compile(r"/stunting\?.*langkah=1"), timeout=LOAD)
    wait_for_script_run(page, LOAD / 1000)
    expect(page.get_by_text(re.compile("^Prevalensi stunting .* — Kalimantan Tengah"))
           .first).to_be_visible()
    _map_drawn(page)

    page.keyboard.press("Escape")               # ends: the normal view with its sidebar
    expect(page).not_to_have_url(re.compile("langkah="), timeout=LOAD)
    wait_for_script_run(page, LOAD / 1000)
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    assert page_errors == []
