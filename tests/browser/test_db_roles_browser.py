"""The shared deployment in a browser: the app on a real PostGIS database (tests/db).

A viewer (no login) sees the data saved by another process on the map, but neither Kelola
Data nor Audit — not in the navigation, and not by a typed URL. A change saved by another
process shows on the next page load of the running server (caches keyed on the database's
data version). An editor who logs in gets Kelola Data and the Audit page.
"""
from __future__ import annotations

from conftest import KEY_FIGURE, NOTICE, REPO_ROOT, key_figures, wait_for_script_run
from playwright.sync_api import Page, expect
from test_kelola_data_browser import _close_page_not_found, _wait_points_drawn

from tests.db.fixtures import PASSWORDS, db_url, pg_cluster, registry, store  # noqa: F401

APP = "app.py"
LOAD = 180_000


def _open(page: Page, server, path: str) -> None:
    page.goto(server.url + path, wait_until="domcontentloaded", timeout=LOAD)
    wait_for_script_run(page, LOAD / 1000)
    _close_page_not_found(page)
    wait_for_script_run(page, LOAD / 1000)


def _ringkasan_count(page: Page, server, expected: int, file_name: str) -> None:
    _open(page, server, "/?wilayah=62.03")
    notice = page.locator(NOTICE).filter(has_text="Data yang ditampilkan")
    expect(notice).to_contain_text(file_name, timeout=LOAD)
    expect(page.locator(KEY_FIGURE).first).to_be_visible(timeout=LOAD)
    wait_for_script_run(page, LOAD / 1000)
    assert key_figures(page)["Posyandu"] == str(expected)
    _wait_points_drawn(page, expected, timeout=60)


def test_viewer_locked_out_of_editing_editor_gets_in(streamlit_server, page, store, db_url,
                                                     screenshot_dir):
    kapuas = store.authenticate("kapuas", PASSWORDS["kapuas"])
    store.save("posyandu", registry("62.03", 4), name="registri-kapuas.csv",
               source="registri-kapuas.csv", user=kapuas)
    env = {"PETA_DATABASE_URL": db_url,
           "PETA_CACHE_DIR": str(REPO_ROOT / "data" / "cache")}
    server = streamlit_server(APP, env, fresh=True)

    # --- a viewer sees the data of the database on the map --------------------------------
    _ringkasan_count(page, server, 4, "registri-kapuas.csv")
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_text("Masuk", exact=True)).to_have_count(1)
    expect(nav.get_by_text("Kelola Data", exact=True)).to_have_count(0)
    expect(nav.get_by_text("Audit", exact=True)).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "db_viewer_ringkasan.png"))

    # --- typed URLs of the editing pages lead nowhere ---------------------------------------
    for path in ("/kelola_data", "/audit"):
        _open(page, server, path)
        expect(page.get_by_role("heading", name="Kelola Data")).to_have_count(0)
        expect(page.get_by_role("heading", name="Audit")).to_have_count(0)
        expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
        expect(page.get_by_role("button", name="Pulihkan")).to_have_count(0)
        expect(page.get_by_role("button", name="Simpan dan pakai data ini")).to_have_count(0)

    # --- another process saves: the running server shows it on the next load --------------
    store.save("posyandu", registry("62.03", 2, tag="b"), name="registri-kapuas-2.csv",
               source="registri-kapuas-2.csv", user=kapuas)
    _ringkasan_count(page, server, 2, "registri-kapuas-2.csv")

    # --- a wrong password, then the editor logs in -----------------------------------------
    page.get_by_test_id("stSidebarNav").get_by_text("Masuk", exact=True).click()
    wait_for_script_run(page, LOAD / 1000)
    page.get_by_label("Nama pengguna").fill("kapuas")
    page.get_by_label("Kata sandi").fill("salah-sekali")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text("Nama pengguna atau kata sandi salah.")).to_be_visible(timeout=LOAD)
    page.get_by_label("Kata sandi").fill(PASSWORDS["kapuas"])
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text("Masuk sebagai kapuas")).to_be_visible(timeout=LOAD)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_text("Kelola Data", exact=True)).to_have_count(1)
    nav.get_by_text("Audit", exact=True).click()
    wait_for_script_run(page, LOAD / 1000)
    expect(page.get_by_role("heading", name="Audit")).to_be_visible(timeout=LOAD)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "db_editor_audit.png"), full_page=True)
    page.get_by_test_id("stSidebarNav").get_by_text("Kelola Data", exact=True).click()
    wait_for_script_run(page, LOAD / 1000)
    expect(page.get_by_role("heading", name="Kelola Data")).to_be_visible(timeout=LOAD)
    expect(page.get_by_text("Masuk sebagai kapuas")).to_be_visible()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "db_editor_kelola.png"), full_page=True)
