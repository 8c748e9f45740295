"""Load benchmark of the maps: real browsers against a real server, on 127.0.0.1.

    python -m components.bench_load --sessions 1,5,10 [--processes 2] [--rounds 1] [--direct]

Starts the dashboard as deployed: ``--processes`` app processes (``python -m
components.serve``, i.e. with its warm-up thread) behind HAProxy with the configuration
of ``deploy/haproxy.cfg`` (cookie-sticky sessions, static files cached and compressed);
``--direct`` talks to one process without the proxy. Also the *floor*, a Streamlit app
of two pages, each a 4-polygon folium map (``benchmarks/floor_app.py``), served the same
way (its own HAProxy, same configuration). Then, with headless Chromium
(/usr/bin/chromium; every request for an address other than 127.0.0.1 goes to a dead
proxy, fails and is counted; the browser's HTTP cache works as for a real visitor):

* first view after start: HAProxy runs already (as deployed), the app process is started,
  and the national map is opened as soon as the proxy answers its health check; the
  seconds since the app process was started;
* one visitor at a time (median of 3 new browsers), the app and the floor: the first view
  (a link opened in a new browser: empty cache), the next view (a click on another page's
  link in the sidebar: what a visitor does next), and that page's link opened again (a
  reload: cached files, but the app starts again in the browser), with the server CPU
  seconds of each; then drill-downs on Kalimantan Tengah (click a regency, "Buka wilayah
  ini", until its kecamatan map is drawn) with their server CPU;
* per N in ``--sessions``: N new browsers at once, each opening the national or Kalimantan
  Tengah's map by its link and then clicking one other map page (rotating), ``--rounds``
  times; first and next views p50/p90/max,
  errors, server CPU seconds per view (all app processes), peak server memory (sum of
  resident sets, sampled every 0.2 s), the browsers' own CPU seconds per view, and the
  floor page with the same N sessions at once (the browsers run on the same two cores as
  the server: this is what N sessions cost with nothing to compute);
* the server alone, per N in ``--server-sessions`` (default 1,10,30): N clients at once
  speaking Streamlit's protocol instead of browsers (``components.bench_server``), each
  opening one page as a shared link does; time to the map's message and to the end of
  the run, errors, server CPU per view, peak memory; with ``--processes 2`` or more, the
  same again with all clients on one of the processes, which shows what the others add.

"Time to map" = from navigation to the choropleth drawn in the map iframe. Loops are
bounded (every wait has a timeout). Prints one line per measure and, last, one JSON
object. The machine's other load makes the numbers vary: run it a few times.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from components import bench_server
from components.bench_procs import (TIMEOUT, BrowserMeter, Meter, _free_port,
                                     _stop, _streamlit, _wait_health, haproxy_config)

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
# A map is drawn when an iframe of the map component that is not marked stale (the map of
# the view before) has at least n interactive polygons.
_DRAWN = """([n, stale]) => {
  for (const f of document.querySelectorAll('%s')) {
    const d = f.contentDocument;
    if (!d || !d.documentElement) continue;
    if (stale && d.documentElement.getAttribute('data-bench-stale')) continue;
    if (d.querySelectorAll('path.leaflet-interactive').length >= n) return true;
  }
  return false;
}""" % IFRAME
_MARK_STALE = """() => document.querySelectorAll('%s').forEach(
  f => f.contentDocument && f.contentDocument.documentElement
       && f.contentDocument.documentElement.setAttribute('data-bench-stale', '1'))""" % IFRAME


async def _time_to_map(page, base: str, path: str, n: int) -> float:
    """Seconds from opening ``path`` (a link typed or shared) to its map drawn."""
    t0 = time.monotonic()
    await page.goto(base + path, wait_until="commit", timeout=TIMEOUT * 1000)
    await page.wait_for_function(_DRAWN, arg=[n, False], timeout=TIMEOUT * 1000, polling=50)
    return time.monotonic() - t0


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
    click on another page's link), and of that page's link opened again (a reload: the
    browser has the files but starts the app again)."""
    kinds: dict[str, list[float]] = {k: [] for k in (
        "first_s", "next_s", "reload_s", "first_cpu_s", "next_cpu_s", "reload_cpu_s")}
    for i in range(visitors):
        (home, n), other = ((FLOOR_HOME, FLOOR_OTHER) if floor else
                            (HOMES[i % len(HOMES)], OTHER_PAGES[i % len(OTHER_PAGES)]))
        ctx, page = await _new_page(browser, external)
        try:
            for kind, step in (("first", lambda: _time_to_map(page, base, home, n)),
                               ("next", lambda: _time_to_click_map(page, other, n)),
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
        await page.locator(IFRAME).evaluate(
            "el => el.contentDocument.documentElement.setAttribute('data-bench-stale', '1')")
        t0, c0 = time.monotonic(), meter.cpu() if meter else 0.0
        await button.click()
        await page.wait_for_function(_DRAWN, arg=[1, True], timeout=TIMEOUT * 1000, polling=50)
        seconds = time.monotonic() - t0
        await page.wait_for_timeout(500)
        return seconds, (meter.cpu() - c0 if meter else float("nan"))
    finally:
        await ctx.close()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def _stats(values: list[float]) -> dict:
    return {"p50_s": round(_pct(values, .5), 2), "p90_s": round(_pct(values, .9), 2),
            "max_s": round(max(values), 2) if values else None}


def _fmt(values: list[float]) -> str:
    return (f"p50 {_pct(values, .5):.2f} s, p90 {_pct(values, .9):.2f} s, "
            f"max {max(values):.2f} s" if values else "no views")


def _start_proxy(cfg: Path, ports: list[int], procs: list, wait: bool = True) -> str:
    """HAProxy with the deployment's configuration in front of ``ports``; its base URL.
    With ``wait``, returns once the proxy answers the health check (an app is up)."""
    port = _free_port()
    cfg.write_text(haproxy_config(port, [(f"app{i}", p) for i, p in enumerate(ports)]))
    proxy = subprocess.Popen([shutil.which("haproxy") or "/usr/sbin/haproxy", "-f", str(cfg),
                              "-db"], stdout=open(cfg.with_suffix(".log"), "w"),  # noqa: SIM115
                             stderr=subprocess.STDOUT, start_new_session=True)
    procs.append(proxy)
    base = f"http://127.0.0.1:{port}"
    if wait:
        _wait_health(base, proxy)
    return base


async def _run(args) -> dict:
    from playwright.async_api import async_playwright

    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    procs: list[subprocess.Popen] = []
    out: dict = {"processes": args.processes, "rounds": args.rounds,
                 "proxy": not args.direct}
    try:
        external: list[str] = []
        async with async_playwright() as pw:
            # the browser first: its start is not part of the server's first view
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                               args=CHROMIUM_ARGS)
            ctx, page = await _new_page(browser, external)   # a visitor's browser is open
            app_ports = [_free_port() for _ in range(args.processes)]
            # as deployed, the proxy runs already when the app processes (re)start
            base = (f"http://127.0.0.1:{app_ports[0]}" if args.direct else
                    _start_proxy(tmp / "haproxy-app.cfg", app_ports, procs, wait=False))
            started = time.monotonic()
            apps = [_streamlit(["-m", "components.serve"], p, tmp / f"app-{p}.log")
                    for p in app_ports]
            procs.extend(apps)
            _wait_health(base, apps[0])         # through the proxy: a process is in service
            healthy = time.monotonic() - started
            meter = Meter([a.pid for a in apps])
            out["server_healthy_s"] = round(healthy, 2)
            try:
                first = await _time_to_map(page, base, *HOME)
                since_start = time.monotonic() - started
                out["first_view_s"] = round(first, 2)
                out["first_view_since_start_s"] = round(since_start, 2)
                print(f"first view after start: server healthy after {healthy:.1f} s, then "
                      f"the national map in {first:.2f} s ({since_start:.2f} s after the "
                      f"server was started)", flush=True)
            except Exception as exc:  # timeout: reported, the run goes on
                out["first_view_s"] = None
                print(f"first view after start: server healthy after {healthy:.1f} s, then "
                      f"no map within {TIMEOUT:.0f} s ({type(exc).__name__})", flush=True)
            await ctx.close()
            for p, proc in zip(app_ports, apps):        # every process up (--processes)
                _wait_health(f"http://127.0.0.1:{p}", proc)
            # the floor (started now, so it does not slow the app's start), and the end of
            # the warm-up thread, before measuring warm views
            floor_port = _free_port()
            floor = _streamlit(["-m", "streamlit", "run", "benchmarks/floor_app.py"],
                               floor_port, tmp / "floor.log")
            procs.append(floor)
            _wait_health(f"http://127.0.0.1:{floor_port}", floor)
            floor_base = (f"http://127.0.0.1:{floor_port}" if args.direct else
                          _start_proxy(tmp / "haproxy-floor.cfg", [floor_port], procs))
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline and any(
                    "caches warm" not in (tmp / f"app-{p}.log").read_text() for p in app_ports):
                await asyncio.sleep(0.5)
            floor_meter = Meter([floor.pid])
            await _single_visitor(browser, floor_base, floor_meter, external, floor=True,
                                  visitors=1)                   # (its imports)
            fl = await _single_visitor(browser, floor_base, floor_meter, external, floor=True)
            floor_meter.close()
            # warm views: each view is served once before it is measured (the caches of a
            # view are built by its first visitor)
            await _single_visitor(browser, base, meter, external)
            app = await _single_visitor(browser, base, meter, external)
            drills = []
            for _ in range(3):
                try:
                    drills.append(await _drill(browser, base, external, meter))
                except Exception as exc:
                    print(f"drill-down failed: {type(exc).__name__}: {exc}"[:300])
            out["single"] = {"app": app, "floor": fl,
                             "first_over_floor": round(app["first_s"] / fl["first_s"], 2),
                             "next_over_floor": round(app["next_s"] / fl["next_s"], 2),
                             "reload_over_floor": round(app["reload_s"] / fl["reload_s"], 2),
                             "drill_s": [round(d, 2) for d, _ in drills],
                             "drill_cpu_s": [round(c, 3) for _, c in drills]}
            print(f"one visitor at a time (median of 3 new browsers):\n"
                  f"  first view (a link opened, empty browser cache): {app['first_s']:.2f} s; "
                  f"floor {fl['first_s']:.2f} s; ratio {out['single']['first_over_floor']}\n"
                  f"  next view (a click on another page's link): {app['next_s']:.2f} s; floor "
                  f"{fl['next_s']:.2f} s; ratio {out['single']['next_over_floor']}\n"
                  f"  that page's link opened again (reload): {app['reload_s']:.2f} s; floor "
                  f"{fl['reload_s']:.2f} s; ratio {out['single']['reload_over_floor']}\n"
                  f"  server CPU per view: first {app['first_cpu_s']:.3f} s (floor "
                  f"{fl['first_cpu_s']:.3f} s), next {app['next_cpu_s']:.3f} s (floor "
                  f"{fl['next_cpu_s']:.3f} s), reload {app['reload_cpu_s']:.3f} s (floor "
                  f"{fl['reload_cpu_s']:.3f} s)", flush=True)
            if drills:
                print("  drill-down click to the kecamatan map: "
                      + ", ".join(f"{d:.2f} s" for d, _ in drills) + "; server CPU "
                      + ", ".join(f"{c:.3f} s" for _, c in drills), flush=True)
            browser_meter = BrowserMeter()
            for n in args.sessions:
                first: list[float] = []
                nxt: list[float] = []
                errors: list[str] = []
                meter.reset_peak()
                cpu0, bcpu0 = meter.cpu(), browser_meter.cpu()
                t0 = time.monotonic()
                await asyncio.gather(*(_session(browser, base, i, args.rounds, first, nxt,
                                                errors, external) for i in range(n)))
                wall = time.monotonic() - t0
                times = first + nxt
                views = len(times) + len(errors)
                cpu = (meter.cpu() - cpu0) / max(views, 1)
                bcpu = (browser_meter.cpu() - bcpu0) / max(views, 1)
                # the floor page under the same number of sessions at once
                ffirst: list[float] = []
                fnext: list[float] = []
                await asyncio.gather(*(_floor_session(browser, floor_base, ffirst, fnext, errors,
                                                      external) for _ in range(n)))
                row = {"first": _stats(first), "next": _stats(nxt),
                       "floor_first": _stats(ffirst), "floor_next": _stats(fnext),
                       "views": views, "errors": len(errors), "cpu_s_per_view": round(cpu, 3),
                       "peak_rss_mb": round(meter.peak / 1e6), "wall_s": round(wall, 1),
                       "browser_cpu_s_per_view": round(bcpu, 3),
                       "p90_over_single": {
                           "first": round(_pct(first, .9) / app["first_s"], 2) if first else None,
                           "next": round(_pct(nxt, .9) / app["next_s"], 2) if nxt else None}}
                out[f"n{n}"] = row
                print(f"N={n:>2} at once ({views} views, {len(errors)} errors"
                      f"{': ' + '; '.join(errors[:3]) if errors else ''}):\n"
                      f"  first view {_fmt(first)}; floor {_fmt(ffirst)}\n"
                      f"  next view  {_fmt(nxt)}; floor {_fmt(fnext)}\n"
                      f"  p90 / one visitor: first {row['p90_over_single']['first']}, next "
                      f"{row['p90_over_single']['next']}; server CPU {cpu:.3f} s/view; browsers' "
                      f"CPU {bcpu:.2f} s/view; peak server memory {meter.peak / 1e6:.0f} MB",
                      flush=True)
            browser_meter.close()
            await browser.close()
        if args.server_sessions:
            # the server alone: protocol clients instead of browsers (components.bench_server)
            print("server only (clients speaking Streamlit's protocol, no browser; time from "
                  "connecting to the map's message):", flush=True)
            out["server_only"] = {"deployment": await bench_server.report(
                base, args.server_sessions, meter,
                f"{args.processes} process{'es' if args.processes > 1 else ''}"
                + ("" if args.direct else " behind HAProxy"))}
            if args.processes > 1:       # the same, all on the first process: the gain
                one = Meter([apps[0].pid])
                out["server_only"]["one_process"] = await bench_server.report(
                    f"http://127.0.0.1:{app_ports[0]}", args.server_sessions, one,
                    "1 of them alone")
                one.close()
        meter.close()
        out["external_requests"] = len(external)
        print(f"requests leaving 127.0.0.1: {len(external)}", flush=True)
    finally:
        for p in reversed(procs):
            _stop(p)
        if not args.keep_logs:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"logs in {tmp}")
    print(json.dumps(out))
    return out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", default="1,5,10",
                    type=lambda s: [int(x) for x in s.split(",") if x.strip()])
    ap.add_argument("--processes", type=int, default=1,
                    help="app processes behind HAProxy (deploy/haproxy.cfg: sticky cookies, "
                         "static cache, compression)")
    ap.add_argument("--rounds", type=int, default=1, help="home + other page per session")
    ap.add_argument("--direct", action="store_true",
                    help="no HAProxy: the browsers talk to one app process (and the floor) "
                         "directly")
    ap.add_argument("--server-sessions", default="1,10,30",
                    type=lambda s: [int(x) for x in s.split(",") if x.strip()],
                    help="N protocol clients at once (no browser): the server's own capacity; "
                         "'' to skip")
    ap.add_argument("--keep-logs", action="store_true")
    args = ap.parse_args(argv)
    if args.direct and args.processes > 1:
        ap.error("--direct runs one process")
    if not args.direct and not shutil.which("haproxy") and not Path("/usr/sbin/haproxy").exists():
        ap.error("the deployment's HAProxy is missing (apt-get install haproxy), or use --direct")
    # SIGTERM (e.g. `timeout`) ends like Ctrl+C, so the servers started here are stopped.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    return asyncio.run(_run(args))


if __name__ == "__main__":
    main()
