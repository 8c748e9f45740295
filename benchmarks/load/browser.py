"""Browser side of the load benchmark (benchmarks.load.run): headless Chromium
sessions on 127.0.0.1 and what they time: a link opened (first view, reload), a click on
another page's link in the sidebar (next view), a drill-down click; the 4-polygon floor
doing the same. Every request for an address other than 127.0.0.1 goes to a dead proxy,
fails and is counted; the browser's HTTP cache works as for a real visitor."""
from __future__ import annotations

import statistics
import time

from benchmarks.load.procs import TIMEOUT

CHROMIUM = "/usr/bin/chromium"
# No request may leave 127.0.0.1, and the browser's HTTP cache must work as it does for a
# real visitor (Playwright's request routing would disable it): every non-loopback request
# goes to a proxy on a closed local port and fails; Chromium never proxies loopback. Each
# such request is also counted (a `request` listener, which keeps the cache).
DEAD_PROXY = "http://127.0.0.1:9"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-quic", "--no-first-run",
                 "--disable-component-update", "--disable-sync",
                 f"--proxy-server={DEAD_PROXY}", "--proxy-bypass-list=127.0.0.1;localhost"]
IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
# First view of each session (alternating): the national map, or a province's. Then the
# visitor clicks another page's link in the sidebar (rotating); the page keeps the region.
HOMES = [("/", 38), ("/?wilayah=62", 14)]
HOME = HOMES[0]
OTHER_PAGES = ["stunting", "kader", "konektivitas", "risiko_bencana", "peringkat",
               "layanan_spm"]
FLOOR_HOME, FLOOR_OTHER = ("/", 4), "dua"
# A map is drawn when an iframe of the map component has at least n interactive polygons
# and, after a click, shows a new view: a new iframe (a page of the floor), or the mounted
# map of the dashboard (components.map.frame) that has drawn a view since the click
# (peta-map.js numbers the views it drew in data-pp-view).
_DRAWN = """([n, stale]) => {
  for (const f of document.querySelectorAll('%s')) {
    const d = f.contentDocument;
    if (!d || !d.documentElement) continue;
    const before = d.documentElement.getAttribute('data-bench-stale');
    if (stale && before !== null) {
      const map = d.querySelector('.leaflet-container');
      const now = map && map.getAttribute('data-pp-view');
      if (!now || now === before) continue;
    }
    if (d.querySelectorAll('path.leaflet-interactive').length >= n) return true;
  }
  return false;
}""" % IFRAME
# The page is drawn around its map: the map's frame is in the page and no element is still
# a placeholder (Streamlit draws skeletons until an element's code is loaded).
_PAGE_DRAWN = """() => !!document.querySelector('%s')
  && !document.querySelector('[data-testid="stSkeleton"]')""" % IFRAME
_MARK_STALE = """() => document.querySelectorAll('%s').forEach(f => {
  const d = f.contentDocument, map = d && d.querySelector('.leaflet-container');
  if (d && d.documentElement) d.documentElement.setAttribute('data-bench-stale',
      (map && map.getAttribute('data-pp-view')) || '0');
})""" % IFRAME


async def _time_to_map(page, base: str, path: str, n: int) -> float:
    """Seconds from opening ``path`` (a link typed or shared) to its map drawn."""
    t0 = time.monotonic()
    await page.goto(base + path, wait_until="commit", timeout=TIMEOUT * 1000)
    await page.wait_for_function(_DRAWN, arg=[n, False], timeout=TIMEOUT * 1000, polling=50)
    return time.monotonic() - t0


async def _first_view(page, base: str, path: str, n: int) -> tuple[float, float]:
    """Seconds from opening ``path`` to the page drawn around its map (the map's frame
    there, no placeholder left), and to the map drawn in that frame."""
    t0 = time.monotonic()
    await page.goto(base + path, wait_until="commit", timeout=TIMEOUT * 1000)
    await page.wait_for_function(_PAGE_DRAWN, timeout=TIMEOUT * 1000, polling=50)
    drawn = time.monotonic() - t0
    await page.wait_for_function(_DRAWN, arg=[n, False], timeout=TIMEOUT * 1000, polling=50)
    return drawn, time.monotonic() - t0


async def _time_to_click_map(page, url_path: str, n: int) -> float:
    """Seconds from a click on the sidebar link of page ``url_path`` (what a visitor does
    next: the app stays loaded, Streamlit runs the other page) to its map drawn."""
    link = page.locator(f'[data-testid="stSidebarNavLink"][href$="/{url_path}"]').first
    await link.wait_for(timeout=TIMEOUT * 1000)
    await page.wait_for_timeout(300)        # the last messages of the view before
    await page.evaluate(_MARK_STALE)
    t0 = time.monotonic()
    await link.click(timeout=TIMEOUT * 1000)
    await page.wait_for_function(_DRAWN, arg=[n, True], timeout=TIMEOUT * 1000, polling=50)
    return time.monotonic() - t0


def _outside(url: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return False
    host = url.split("/")[2].split(":")[0] if "//" in url else ""
    return host not in ("127.0.0.1", "localhost")


async def _new_page(browser, external: list[str]):
    """A fresh browser context (empty cache, like a new visitor) and its page."""
    ctx = await browser.new_context(viewport={"width": 1366, "height": 768})
    ctx.on("request", lambda r: external.append(r.url) if _outside(r.url) else None)
    return ctx, await ctx.new_page()


async def _session(browser, base: str, index: int, rounds: int, first: list, nxt: list,
                   errors: list, external: list) -> None:
    """One visitor: a new browser (empty cache) opens the national or a province's map by
    its link, then clicks another page in the sidebar (the same region there)."""
    ctx, page = await _new_page(browser, external)
    try:
        for r in range(rounds):
            home, n = HOMES[index % len(HOMES)]
            other = OTHER_PAGES[(index + r) % len(OTHER_PAGES)]
            for label, step in ((home, lambda: _time_to_map(page, base, home, n)),
                                (other, lambda: _time_to_click_map(page, other, n))):
                try:
                    (first if r == 0 and label == home else nxt).append(await step())
                    if await page.get_by_test_id("stException").count():
                        errors.append(f"{label}: exception on page")
                except Exception as exc:  # timeout, navigation error
                    errors.append(f"{label}: {type(exc).__name__}")
                    break
    finally:
        await ctx.close()


async def _floor_session(browser, base: str, first: list, nxt: list, errors: list,
                         external: list) -> None:
    """What _session does, on the floor (its first page by link, then a click on the
    second page's link)."""
    ctx, page = await _new_page(browser, external)
    try:
        first.append(await _time_to_map(page, base, *FLOOR_HOME))
        nxt.append(await _time_to_click_map(page, FLOOR_OTHER, FLOOR_HOME[1]))
    except Exception as exc:  # timeout, navigation error
        errors.append(f"floor: {type(exc).__name__}")
    finally:
        await ctx.close()


async def _single_visitor(browser, base: str, meter, external: list, floor: bool = False,
                          visitors: int = 3) -> dict:
    """One visitor at a time (median of ``visitors`` new browsers): time to map and server
    CPU seconds of the first view (a link opened in a new browser), of the next view (a
    click on another page's link), of the way back (a click on the first page's link: the
    browser has that page's code, the app keeps its map) and of the first page's link
    opened again (a reload: the browser has the files but starts the app again)."""
    kinds: dict[str, list[float]] = {k: [] for k in (
        "first_s", "next_s", "back_s", "reload_s", "first_cpu_s", "next_cpu_s", "back_cpu_s",
        "reload_cpu_s", "first_page_s")}

    async def first(page, home, n) -> float:
        drawn, mapped = await _first_view(page, base, home, n)
        kinds["first_page_s"].append(min(drawn, mapped))
        return mapped

    for i in range(visitors):
        (home, n), other = ((FLOOR_HOME, FLOOR_OTHER) if floor else
                            (HOMES[i % len(HOMES)], OTHER_PAGES[i % len(OTHER_PAGES)]))
        ctx, page = await _new_page(browser, external)
        try:
            for kind, step in (("first", lambda: first(page, home, n)),
                               ("next", lambda: _time_to_click_map(page, other, n)),
                               ("back", lambda: _time_to_click_map(page, "", n)),
                               ("reload", lambda: _time_to_map(
                                   page, base, page.url.replace(base, ""), n))):
                c0 = meter.cpu()
                kinds[f"{kind}_s"].append(await step())
                await page.wait_for_timeout(500)  # the run's last messages, the map's files
                kinds[f"{kind}_cpu_s"].append(meter.cpu() - c0)
        finally:
            await ctx.close()
    return {k: round(statistics.median(v), 3) for k, v in kinds.items()}


async def _drill(browser, base: str, external: list, meter=None) -> tuple[float, float]:
    """Seconds from the click on "Buka wilayah ini" to the kecamatan map drawn, and the
    server CPU seconds meanwhile (with ``meter``)."""
    ctx, page = await _new_page(browser, external)
    try:
        await _time_to_map(page, base, "/?wilayah=62", 14)
        frame = page.frame_locator(IFRAME).first
        await frame.locator(".leaflet-container[data-pp-ready]").wait_for(timeout=TIMEOUT * 1000)
        await page.wait_for_timeout(1500)   # the map fits its bounds again after 1.2 s
        await page.locator(IFRAME).evaluate("el => el.scrollIntoView({block: 'center'})")
        box = await page.locator(IFRAME).bounding_box()
        await page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
        button = frame.locator(".pp-open")
        await button.wait_for(timeout=30_000)
        await page.evaluate(_MARK_STALE)
        t0, c0 = time.monotonic(), meter.cpu() if meter else 0.0
        await button.click()
        await page.wait_for_function(_DRAWN, arg=[1, True], timeout=TIMEOUT * 1000, polling=50)
        seconds = time.monotonic() - t0
        await page.wait_for_timeout(500)
        return seconds, (meter.cpu() - c0 if meter else float("nan"))
    finally:
        await ctx.close()
