"""The link is the view (issue 24): a choice made on a page is in the URL, and that URL
opened in a new browser (a new context: no session) shows the same — hazard type on Risiko
Bencana, k/radius/weight on Konektivitas, the order on Peringkat — and a value the data do
not offer gets a visible notice instead of a silent rewrite."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from conftest import open_url, wait_for_script_run
from playwright.sync_api import Page, expect

APP = "app.py"
LOAD = 120_000
KARHUTLA = "Kebakaran hutan dan lahan"


def _thumb(page: Page, label: str):
    """The value shown on a slider's thumb (what the person reads)."""
    return page.get_by_role("group", name=label).get_by_test_id("stSliderThumbValue")


def _query(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def _new_page(browser, size=(1366, 768)):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    return context, context.new_page()


def test_hazard_type_link_round_trips(streamlit_server, browser, page, screenshot_dir):
    server = streamlit_server(APP)
    open_url(page, server.url + "/risiko_bencana?wilayah=62")
    page.get_by_role("radiogroup").get_by_text(KARHUTLA, exact=True).click()
    wait_for_script_run(page, LOAD / 1000)
    expect(page).to_have_url(re.compile(r"bahaya=karhutla"), timeout=LOAD)
    query = _query(page)
    assert query["indikator"] == "bahaya_karhutla_posyandu_tinggi", query
    link = page.url

    context, fresh = _new_page(browser)
    try:
        open_url(fresh, link)
        expect(fresh.get_by_role("radio", name=KARHUTLA)).to_be_checked(timeout=LOAD)
        expect(fresh.get_by_role("heading", name=re.compile(
            r"Posyandu terpapar.*kebakaran hutan", re.I)).first).to_be_visible(timeout=LOAD)
        assert _query(fresh) == query
        fresh.screenshot(path=str(screenshot_dir / "link_karhutla_1366.png"))

        # The link of the issue: only the indicator names the type.
        open_url(fresh, server.url + "/risiko_bencana?wilayah=62"
                 "&indikator=bahaya_karhutla_posyandu_tinggi")
        expect(fresh.get_by_role("radio", name=KARHUTLA)).to_be_checked(timeout=LOAD)
        expect(fresh).to_have_url(re.compile(r"bahaya=karhutla"), timeout=LOAD)
        assert _query(fresh)["indikator"] == "bahaya_karhutla_posyandu_tinggi"

        # A type the data do not have: a notice, and the page falls back to every type.
        open_url(fresh, server.url + "/risiko_bencana?wilayah=62&bahaya=gempa_bulan")
        expect(fresh.get_by_text("Nilai 'gempa_bulan' untuk 'bahaya' pada tautan tidak dikenal")
               ).to_be_visible(timeout=LOAD)
        expect(fresh.get_by_role("radio", name="Semua bahaya")).to_be_checked()
    finally:
        context.close()


def test_siteplan_and_order_links(streamlit_server, browser, screenshot_dir):
    server = streamlit_server(APP)
    context, fresh = _new_page(browser, (1920, 1080))
    try:
        open_url(fresh, server.url + "/konektivitas?wilayah=62&k=7&radius=7.5&bobot=balita")
        expect(fresh.get_by_text(re.compile(r"^Di mana (hingga )?7 situs"))).to_be_visible(timeout=LOAD)
        expect(fresh.get_by_role("slider", name=re.compile("Jumlah situs"))).to_have_attribute(
            "aria-valuetext", "7")
        expect(_thumb(fresh, "Radius jangkauan (km)")).to_have_text("7,5")   # decimal comma
        expect(fresh.locator(".st-key-plan-weight input[type=radio]").nth(1)).to_be_checked()
        q = _query(fresh)
        assert (q["k"], q["radius"], q["bobot"]) == ("7", "7.5", "balita"), q
        fresh.screenshot(path=str(screenshot_dir / "link_konektivitas_1920.png"))

        # A radius off the slider's steps: a notice, and the default 5 km.
        open_url(fresh, server.url + "/konektivitas?wilayah=62&radius=99")
        expect(fresh.get_by_text("Nilai '99' untuk 'radius' pada tautan tidak dikenal")) \
            .to_be_visible(timeout=LOAD)
        expect(_thumb(fresh, "Radius jangkauan (km)")).to_have_text("5")

        # Peringkat: the order chosen is in the link; another page drops it.
        open_url(fresh, server.url + "/peringkat?indikator=stunting&survei=SSGI+2024"
                 "&banding=SKI+2023&urutan=order_improved")
        expect(fresh.get_by_role("radio", name="Paling membaik")).to_be_checked(timeout=LOAD)
        assert _query(fresh)["urutan"] == "order_improved"
        # the change chart follows that order, labels every compared province with its rank
        # move, and writes its axis with decimal commas
        chart = fresh.get_by_role("img").filter(has_text="Perubahan nilai (poin persen)")
        expect(chart).to_have_count(1, timeout=LOAD)
        text = chart.text_content()          # an SVG: its text, not innerText
        moves = re.findall(r"([A-Z][\w .]+?) \((\d+) → (\d+)\)", text)
        assert len(moves) >= 10 and any(n.endswith("Kalimantan Tengah") for n, _, _ in moves), text
        assert re.search(r"−\d,5", text), text
        open_url(fresh, server.url + "/stunting?urutan=order_improved")
        expect(fresh).not_to_have_url(re.compile("urutan="), timeout=LOAD)
    finally:
        context.close()
