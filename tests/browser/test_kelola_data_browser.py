"""Kelola Data end to end: upload a messy registry, read the report, save it, restart the
app, and find the new Posyandu on the Ringkasan map of Kota Palangka Raya (62.71).

The registry is written by the test the way an office exports it: ``;``-delimited
Windows-1252 CSV with Indonesian headers, decimal commas, one DMS coordinate pair, a
10-digit village code without dots, a duplicate id, a point in the Java Sea and a name
holding ``<script>alert(1)</script>`` (must show as text, never run). The valid Posyandu
sit on representative points of real villages of Kota Palangka Raya.

The app runs with a fresh temporary workspace (``PETA_WORKSPACE_DIR``) and the
repository's cache directory (``PETA_CACHE_DIR``, so boundary and display caches are
reused). "Restart" = the first server process is stopped and a new one started with the
same environment: the dashboard must then read the registry from the workspace on disk.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import KEY_FIGURE, NOTICE, key_figures, wait_for_script_run
from playwright.sync_api import Page, expect

APP = "app.py"
REGION = "62.71"                     # Kota Palangka Raya
FILE_NAME = "registri posyandu kota.csv"
LOAD_TIMEOUT = 120.0
SCRIPT_NAME = "Posyandu Uji <script>alert(1)</script> Kenanga"
# Villages of 62.71 holding the valid rows, with their distinctive Posyandu names.
VALID = {
    "62.71.01.1001": "Posyandu Uji Anggrek",
    "62.71.01.1002": "Posyandu Uji Melati",       # code written 6271011002
    "62.71.01.1003": "Posyandu Uji Mawar",        # coordinates in DMS
    "62.71.01.1004": SCRIPT_NAME,
    "62.71.01.1005": "Posyandu Uji Cempaka – RT 03",   # en dash: a Windows-1252 byte
}
KADER = {"62.71.01.1001": 5, "62.71.01.1002": 4, "62.71.01.1003": 6, "62.71.01.1004": 3,
         "62.71.01.1005": 5}
SEA = (-4.5, 112.5)                  # Java Sea, ~117 km from the nearest coast
# Circle markers of Posyandu (components.map.view._POINT_CALLBACK: color '#08306b').
CIRCLES = 'path.leaflet-interactive[stroke="#08306b"]'
# Opened at /kelola_data, Streamlit's frontend first probes the page path as the server's
# base path (/kelola_data/_stcore/health, .../host-config: 404), then falls back to "/"
# (streamlit/streamlit#7074). Only those two probes are tolerated.
_BASE_PATH_PROBE = re.compile(
    r"^http://127\.0\.0\.1:\d+/[a-z_-]+/_stcore/(health|host-config) \(HTTP 404\)$")


def _real_failures(failed_requests: list[str]) -> list[str]:
    return [f for f in failed_requests if not _BASE_PATH_PROBE.match(f)]


def _dec(x: float) -> str:
    return f"{x:.6f}".replace(".", ",")


def _dms(x: float, pos: str, neg: str) -> str:
    hemi = pos if x >= 0 else neg
    x = abs(x)
    deg = int(x)
    minutes = int((x - deg) * 60)
    seconds = (x - deg - minutes / 60) * 3600
    return f"{deg}°{minutes:02d}'{seconds:05.2f}\" {hemi}".replace(".", ",")


def write_messy_registry(path: Path) -> dict[str, tuple[float, float]]:
    """The office export; returns {kode_desa: (lat, lon)} of the valid rows."""
    from geo.regions.boundaries import boundaries

    villages = boundaries("desa", ["62"]).set_index("code")
    codes = [*VALID, "62.71.01.1006"]
    missing = [c for c in codes if c not in villages.index]
    if missing:
        pytest.skip(f"village boundaries lack {missing}")
    pts = {c: villages.loc[c, "geometry"].representative_point() for c in codes}
    where = {c: (p.y, p.x) for c, p in pts.items()}
    c1, c2, c3, c4, c5, c6 = codes
    rows = [
        ("ID Posyandu", "Nama Posyandu", "Kode Desa", "Lintang", "Bujur", "Jml Kader"),
        ("UJI-001", VALID[c1], c1, _dec(where[c1][0]), _dec(where[c1][1]), str(KADER[c1])),
        ("UJI-002", VALID[c2], c2.replace(".", ""), _dec(where[c2][0]), _dec(where[c2][1]),
         str(KADER[c2])),
        ("UJI-003", VALID[c3], c3, _dms(where[c3][0], "LU", "LS"),
         _dms(where[c3][1], "BT", "BB"), str(KADER[c3])),
        ("UJI-004", VALID[c4], c4, _dec(where[c4][0]), _dec(where[c4][1]), str(KADER[c4])),
        ("UJI-005", VALID[c5], c5, _dec(where[c5][0]), _dec(where[c5][1]), str(KADER[c5])),
        # row 7: the id of row 4 again -> rejected
        ("UJI-003", "Posyandu Uji Dahlia", c6, _dec(where[c6][0]), _dec(where[c6][1]), "4"),
        # row 8: in the sea, but its village code is known -> kept without a point
        ("UJI-007", "Posyandu Uji Laut", c1, _dec(SEA[0]), _dec(SEA[1]), "2"),
    ]
    text = "\r\n".join(";".join(r) for r in rows) + "\r\n"
    path.write_bytes(text.encode("cp1252"))
    return {c: where[c] for c in VALID}


def _env(workspace: Path) -> dict[str, str]:
    from geo.config import cache_dir

    return {"PETA_WORKSPACE_DIR": str(workspace), "PETA_CACHE_DIR": str(cache_dir())}


def _open(page: Page, server, path: str) -> float:
    started = time.monotonic()
    page.goto(server.url + path, wait_until="domcontentloaded", timeout=LOAD_TIMEOUT * 1000)
    wait_for_script_run(page, LOAD_TIMEOUT)
    return time.monotonic() - started


def _close_page_not_found(page: Page) -> bool:
    """Streamlit shows "Page not found" over the right page when the first session of a
    fresh server opens a non-default URL path (streamlit/streamlit#9992). Close it."""
    modal = page.get_by_role("dialog").filter(has_text="Page not found")
    try:
        modal.wait_for(state="visible", timeout=3000)
    except Exception:
        return False
    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()
    return True


def _report_rows(page: Page) -> list[list[str]]:
    """Cells of the report table (st.dataframe draws on a canvas; glide-data-grid keeps an
    accessible copy of the visible cells in the DOM)."""
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid.locator('[role="gridcell"]').first).to_be_attached(timeout=30_000)
    rows = []
    for row in grid.locator('[role="row"]').all():
        cells = [c.strip() for c in row.locator('[role="gridcell"]').all_inner_texts()]
        if cells:
            rows.append(cells)
    return rows


def _wait_points_drawn(page: Page, expected: int, timeout: float = 60.0) -> None:
    """Cluster bubbles (their numbers) plus single circle markers add up to ``expected``."""
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
    clusters = frame.locator(".marker-cluster")
    circles = frame.locator(CIRCLES)
    deadline = time.monotonic() + timeout
    while True:   # bubbles of two zoom levels coexist while the map refits: poll
        counts = [int(x) for x in clusters.all_inner_texts() if x.strip().isdigit()]
        drawn = sum(counts) + circles.count()
        if drawn == expected or time.monotonic() > deadline:
            break
        page.wait_for_timeout(250)
    assert drawn == expected, (counts, circles.count())


def _no_script_ran(page: Page) -> None:
    """The uploaded ``<script>alert(1)</script>`` became no script element, in the page or
    any frame. (The map's own script carries the popup HTML as data, escaped; it
    contains the text 'alert(1)' but is not the injected element.)"""
    for frame in page.frames:
        found = frame.evaluate(
            "() => [...document.scripts].some(s => s.textContent.trim() === 'alert(1)')")
        assert not found, f"uploaded <script> became a script element in {frame.url}"


def test_upload_messy_registry_then_map_after_restart(
    streamlit_server, page, tmp_path, external_requests, failed_requests, page_errors,
    screenshot_dir, record_property,
):
    timings: dict[str, float] = {}
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))

    registry_file = tmp_path / FILE_NAME
    where = write_messy_registry(registry_file)
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    env = _env(workspace)

    # --- 1. Kelola Data: upload --------------------------------------------------------
    t0 = time.monotonic()
    first = streamlit_server(APP, env, fresh=True)
    timings["server_start_1"] = first.startup_seconds
    timings["open_kelola_data"] = _open(page, first, "/kelola_data")
    page_not_found = _close_page_not_found(page)
    expect(page.get_by_role("heading", name="Kelola Data")).to_be_visible()
    expect(page.get_by_role("radiogroup").get_by_text("Registri Posyandu (CSV/XLSX)")) \
        .to_be_visible()
    # Registri Posyandu is the default kind; it is selected.
    assert page.get_by_role("radio", name="Registri Posyandu (CSV/XLSX)").is_checked()
    expect(page.get_by_text("Belum ada data yang diimpor")).to_be_visible()

    t = time.monotonic()
    page.get_by_test_id("stFileUploader").locator('input[type="file"]') \
        .set_input_files(str(registry_file))
    expect(page.get_by_role("heading", name="Laporan impor")).to_be_visible(timeout=60_000)
    wait_for_script_run(page, LOAD_TIMEOUT)
    timings["import"] = time.monotonic() - t

    # --- 2. The report -----------------------------------------------------------------
    # Every required column was recognised: no mapping step is forced open.
    expect(page.get_by_text("Beberapa kolom wajib tidak dikenali")).to_have_count(0)
    expect(page.locator(KEY_FIGURE)).to_have_count(4)
    metrics = key_figures(page)
    assert metrics == {"Diterima": "6", "Diperbaiki": "2", "Ditolak": "1",
                       "Peringatan": "2"}, metrics
    rows = _report_rows(page)
    by_row: dict[int, list[list[str]]] = {}
    for cells in rows:
        by_row.setdefault(int(cells[0]), []).append(cells)
    assert sorted(by_row) == [3, 4, 5, 7, 8], rows
    (dup,) = by_row[7]
    assert dup[1] == "id" and dup[2] == "UJI-003" and dup[4] == "ditolak", dup
    assert "id ganda" in dup[3] and "baris 4" in dup[3], dup
    (sea,) = by_row[8]
    assert sea[1] == "lat, lon" and sea[4] == "peringatan", sea
    assert "di laut" in sea[3] and "km dari daratan" in sea[3], sea
    assert "koordinat dikosongkan" in sea[3] and "tetap dihitung di desa" in sea[3], sea
    (code,) = by_row[3]
    assert code[2] == "6271011002" and "62.71.01.1002" in code[3] and code[4] == "diperbaiki"
    assert {c[1] for c in by_row[4]} == {"lat", "lon"} and all(
        "derajat desimal" in c[3] and c[4] == "diperbaiki" for c in by_row[4]), by_row[4]
    (markup,) = by_row[5]
    # The <script> name is shown as plain text in the table, and nothing ran.
    assert markup[2] == SCRIPT_NAME and markup[4] == "peringatan", markup
    _no_script_ran(page)

    # The file notes say how it was read (encoding, delimiter, decimal commas).
    page.get_by_text("Keterangan berkas").click()
    expect(page.get_by_text("Pengodean teks: Windows-1252; pemisah kolom: titik koma (;).")) \
        .to_be_visible()
    expect(page.get_by_text(re.compile(r"Koma desimal dibaca sebagai pemisah desimal"))) \
        .to_be_visible()

    # The report downloads as CSV with the same findings.
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh laporan (CSV)").click()
    report_csv = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert download.value.suggested_filename == "laporan-impor-registri posyandu kota.csv"
    assert "id 'UJI-003' sudah dipakai di baris 4 (id ganda)" in report_csv
    assert re.search(r"^8,\"lat, lon\",.*di laut", report_csv, re.M), report_csv
    page.mouse.move(0, 0)
    page.screenshot(path=str(screenshot_dir / "kelola_data_report.png"), full_page=True)

    # --- 3. Save to the workspace ------------------------------------------------------
    t = time.monotonic()
    page.get_by_role("button", name="Simpan dan pakai data ini").click()
    saved = page.get_by_test_id("stAlert").filter(has_text="Tersimpan:")
    expect(saved).to_be_visible(timeout=60_000)
    wait_for_script_run(page, LOAD_TIMEOUT)
    timings["save"] = time.monotonic() - t
    expect(saved).to_contain_text(f"Registri Posyandu: {FILE_NAME}")
    expect(saved).to_contain_text("6 baris")
    expect(page.get_by_text("Belum ada data yang diimpor")).to_have_count(0)
    assert (workspace / "posyandu" / "current.json").is_file()
    page.screenshot(path=str(screenshot_dir / "kelola_data_saved.png"), full_page=True)

    # The running server uses the new registry at once (its caches were cleared).
    t = time.monotonic()
    _open(page, first, f"/?wilayah={REGION}")
    notice = page.locator(NOTICE).filter(has_text="Data yang ditampilkan")
    expect(notice).to_contain_text(FILE_NAME, timeout=LOAD_TIMEOUT * 1000)
    expect(page.locator(KEY_FIGURE).first).to_be_visible(timeout=LOAD_TIMEOUT * 1000)
    wait_for_script_run(page, LOAD_TIMEOUT)
    assert key_figures(page)["Posyandu"] == "6"      # the row at sea counts in its village…
    _wait_points_drawn(page, 5)                   # …and is not drawn (it has no point)
    timings["ringkasan_before_restart"] = time.monotonic() - t

    # --- 4. Restart the app ------------------------------------------------------------
    # Leave the page first: a tab whose server dies keeps retrying it (failed requests).
    page.goto("about:blank")
    assert _real_failures(failed_requests) == []
    t = time.monotonic()
    first.stop()
    assert not first.alive()
    second = streamlit_server(APP, env, fresh=True)
    assert second.port != first.port and second.alive()
    timings["restart"] = time.monotonic() - t

    # --- 5. Ringkasan of Kota Palangka Raya ---------------------------------------------
    t = time.monotonic()
    _open(page, second, f"/?wilayah={REGION}")
    notice = page.locator(NOTICE).filter(has_text="Data yang ditampilkan")
    expect(notice).to_be_visible(timeout=LOAD_TIMEOUT * 1000)
    expect(notice).to_contain_text(FILE_NAME)
    expect(notice).to_contain_text("6 baris")
    expect(notice).to_contain_text(re.compile(r"diimpor \d{4}-\d{2}-\d{2} \d{2}:\d{2}"))
    # the registry is not called a sample; the hazard zones still are, in the same line
    expect(notice).not_to_contain_text("Posyandu buatan")
    expect(notice).not_to_contain_text("Registri Posyandu sampel")
    expect(notice).to_contain_text("DATA SAMPEL — zona bahaya buatan")
    # The map title says which region; it comes after the indicator table is computed.
    expect(page.get_by_role("heading", name=re.compile(
        r"Jumlah Posyandu per kecamatan — Kota Palangka ?raya", re.I))) \
        .to_be_visible(timeout=LOAD_TIMEOUT * 1000)
    wait_for_script_run(page, LOAD_TIMEOUT)
    timings["ringkasan_rendered"] = time.monotonic() - t
    expect(page.locator(KEY_FIGURE).first).to_be_visible()
    metrics = key_figures(page)
    accepted_here = sum(c.startswith(REGION + ".") for c in where)
    assert metrics["Posyandu"] == str(accepted_here + 1) == "6", metrics   # + the row at sea
    # Kader per Posyandu of the accepted rows (decimal comma in Bahasa Indonesia).
    kader = (sum(KADER.values()) + 2) / (len(KADER) + 1)
    assert metrics["Kader per Posyandu"] == f"{kader:.2f}".replace(".", ","), metrics

    # --- 6. The new Posyandu on the map ---------------------------------------------------
    t = time.monotonic()
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
    clusters = frame.locator(".marker-cluster")
    circles = frame.locator(CIRCLES)
    _wait_points_drawn(page, accepted_here)
    timings["map_points"] = time.monotonic() - t
    page.wait_for_timeout(1500)   # let the refit (300 ms, 1200 ms) settle for the shot
    page.screenshot(path=str(screenshot_dir / "kelola_data_map_after_restart.png"))

    # Zoom in through the cluster until every Posyandu is its own circle marker.
    for _ in range(4):
        if circles.count() == accepted_here:
            break
        clusters.first.click()
        page.wait_for_timeout(900)
    expect(circles).to_have_count(accepted_here)

    # Open each marker's popup: the names of the file, the <script> one as text. The whole
    # map is scrolled into view, and popups do not pan the map (Leaflet's autoPan would
    # push the other markers out of the map's box between clicks).
    page.locator('iframe[title="streamlit_folium.st_folium"]').first.evaluate(
        "el => el.scrollIntoView({block: 'center'})")
    frame.locator("body").evaluate("() => { L.Popup.prototype.options.autoPan = false; }")
    popup = frame.locator(".leaflet-popup-content")
    names = []
    for i in range(accepted_here):
        circles.nth(i).click()
        expect(popup).to_have_count(1)
        expect(popup).to_be_visible()
        if names:   # wait until the popup is this marker's one
            expect(popup.locator("b").first).not_to_have_text(names[-1])
        names.append(popup.locator("b").first.inner_text().strip())
        if "alert(1)" in names[-1]:
            expect(popup.locator("b").first).to_have_text(SCRIPT_NAME)
            assert popup.locator("script").count() == 0
            script_marker = i
        # The next click opens the next popup and closes this one (Leaflet's autoClose).
    assert sorted(names) == sorted(VALID.values()), names
    # The <script> popup once more, panned into view as a user sees it, for the screenshot.
    frame.locator("body").evaluate("() => { L.Popup.prototype.options.autoPan = true; }")
    circles.nth((script_marker + 1) % accepted_here).click()
    circles.nth(script_marker).click()
    expect(popup.locator("b").first).to_have_text(SCRIPT_NAME)
    page.wait_for_timeout(600)    # autoPan animation
    page.screenshot(path=str(screenshot_dir / "kelola_data_popup.png"))
    _no_script_ran(page)

    total = time.monotonic() - t0
    timings["total"] = total
    for key, value in timings.items():
        record_property(f"{key}_seconds", round(value, 2))
    print("\n" + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items())
          + (" (closed Streamlit's 'Page not found' modal)" if page_not_found else ""))

    assert dialogs == [], dialogs
    assert external_requests == [], external_requests
    assert _real_failures(failed_requests) == []
    assert page_errors == []
