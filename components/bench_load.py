"""Load benchmark of the maps: real browsers against a real server, on 127.0.0.1.

    python -m components.bench_load --sessions 1,5,10 [--processes 2] [--rounds 1]

Starts the dashboard (``python -m components.serve``, i.e. with its warm-up thread; with
``--processes 2`` two app processes behind HAProxy with cookie-sticky sessions, the
deployment of ``deploy/``) and, on its own port, the *floor*: a Streamlit page with a
4-polygon folium map (``benchmarks/floor_app.py``). Then, with headless Chromium
(/usr/bin/chromium, every request outside 127.0.0.1 aborted and counted as an error):

* first view: the national map, opened as soon as the server answers its health check;
* floor: time to map of the 4-polygon page (median of 3, single session);
* per N in ``--sessions``: N browser sessions at once, each opening the national map and
  then one other map page (rotating), ``--rounds`` times; time to map p50/p90/max,
  errors, server CPU seconds per view (all app processes), peak server memory (sum of
  resident sets, sampled every 0.2 s);
* the floor page with the same N sessions at once (the browsers run on the same cores
  as the server, so this is what N sessions cost with nothing to compute), and the CPU
  seconds per view of the browsers themselves;
* drill-down (N = 1 only): on Kalimantan Tengah, click a regency, then "Buka wilayah
  ini", until the kecamatan map is drawn.

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

from components.bench_procs import (HAPROXY_CFG, TIMEOUT, BrowserMeter, Meter, _free_port,
                                     _stop, _streamlit, _wait_health)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-quic", "--no-first-run",
                 "--disable-component-update", "--disable-sync"]
IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
# Second page of each session (rotating): (path, expected polygons).
OTHER_PAGES = [("/stunting?wilayah=62", 14), ("/kader?wilayah=62", 14), ("/konektivitas", 38),
               ("/risiko_bencana?wilayah=62", 14), ("/peringkat", 38), ("/risiko_bencana", 38)]
HOME = ("/", 38)
_DRAWN = """([n, stale]) => {
  const f = document.querySelector('%s');
  const d = f && f.contentDocument;
  if (!d || !d.documentElement) return false;
  if (stale && d.documentElement.getAttribute('data-bench-stale')) return false;
  return d.querySelectorAll('path.leaflet-interactive').length >= n;
}""" % IFRAME


async def _time_to_map(page, base: str, path: str, n: int) -> float:
    t0 = time.monotonic()
    await page.goto(base + path, wait_until="commit", timeout=TIMEOUT * 1000)
    await page.wait_for_function(_DRAWN, arg=[n, False], timeout=TIMEOUT * 1000, polling=50)
    return time.monotonic() - t0


async def _new_page(browser, external: list[str]):
    ctx = await browser.new_context(viewport={"width": 1366, "height": 768})

    async def route(r):
        host = r.request.url.split("/")[2].split(":")[0] if "//" in r.request.url else ""
        if r.request.url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            await r.continue_()
        else:
            external.append(r.request.url)
            await r.abort()

    await ctx.route("**/*", route)
    return ctx, await ctx.new_page()


async def _session(browser, base: str, index: int, rounds: int, times: list, errors: list,
                   external: list) -> None:
    ctx, page = await _new_page(browser, external)
    try:
        for r in range(rounds):
            for path, n in (HOME, OTHER_PAGES[(index + r) % len(OTHER_PAGES)]):
                try:
                    times.append(await _time_to_map(page, base, path, n))
                    if await page.get_by_test_id("stException").count():
                        errors.append(f"{path}: exception on page")
                except Exception as exc:  # timeout, navigation error
                    errors.append(f"{path}: {type(exc).__name__}")
    finally:
        await ctx.close()


async def _floor_session(browser, base: str, times: list, errors: list,
                         external: list) -> None:
    """What _session does, on the 4-polygon floor page (two views)."""
    ctx, page = await _new_page(browser, external)
    try:
        for _ in range(2):
            try:
                times.append(await _time_to_map(page, base, "/", 4))
            except Exception as exc:  # timeout, navigation error
                errors.append(f"floor: {type(exc).__name__}")
    finally:
        await ctx.close()


async def _drill(browser, base: str, external: list) -> float:
    """Seconds from the click on "Buka wilayah ini" to the kecamatan map drawn."""
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
        t0 = time.monotonic()
        await button.click()
        await page.wait_for_function(_DRAWN, arg=[1, True], timeout=TIMEOUT * 1000, polling=50)
        return time.monotonic() - t0
    finally:
        await ctx.close()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def _fmt(values: list[float]) -> str:
    return (f"p50 {_pct(values, .5):.2f} s, p90 {_pct(values, .9):.2f} s, "
            f"max {max(values):.2f} s" if values else "no views")


async def _run(args) -> dict:
    from playwright.async_api import async_playwright

    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    procs: list[subprocess.Popen] = []
    out: dict = {"processes": args.processes, "rounds": args.rounds}
    try:
        floor_port = _free_port()
        floor = _streamlit(["-m", "streamlit", "run", "benchmarks/floor_app.py"], floor_port,
                           tmp / "floor.log")
        procs.append(floor)
        app_ports = [_free_port() for _ in range(args.processes)]
        started = time.monotonic()
        apps = [_streamlit(["-m", "components.serve"], p, tmp / f"app-{p}.log") for p in app_ports]
        procs.extend(apps)
        for p, proc in zip(app_ports, apps):
            _wait_health(f"http://127.0.0.1:{p}", proc)
        if args.processes > 1:
            port = _free_port()
            servers = "\n".join(f"    server app{i} 127.0.0.1:{p} check cookie app{i}"
                                for i, p in enumerate(app_ports))
            cfg = tmp / "haproxy.cfg"
            cfg.write_text(HAPROXY_CFG.format(port=port, servers=servers))
            haproxy = subprocess.Popen([shutil.which("haproxy") or "/usr/sbin/haproxy", "-f",
                                        str(cfg), "-db"], stdout=open(tmp / "haproxy.log", "w"),  # noqa: SIM115
                                       stderr=subprocess.STDOUT, start_new_session=True)
            procs.append(haproxy)
            base = f"http://127.0.0.1:{port}"
            _wait_health(base, haproxy)
        else:
            base = f"http://127.0.0.1:{app_ports[0]}"
        healthy = time.monotonic() - started
        meter = Meter([a.pid for a in apps])
        external: list[str] = []
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                               args=CHROMIUM_ARGS)
            ctx, page = await _new_page(browser, external)
            out["server_healthy_s"] = round(healthy, 2)
            try:
                first = await _time_to_map(page, base, *HOME)
                out["first_view_s"] = round(first, 2)
                print(f"first view after start: server healthy after {healthy:.1f} s, then "
                      f"the national map in {first:.2f} s", flush=True)
            except Exception as exc:  # timeout: reported, the run goes on
                out["first_view_s"] = None
                print(f"first view after start: server healthy after {healthy:.1f} s, then "
                      f"no map within {TIMEOUT:.0f} s ({type(exc).__name__})", flush=True)
            await ctx.close()
            # let the warm-up thread finish before measuring warm views
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline and any(
                    "caches warm" not in (tmp / f"app-{p}.log").read_text() for p in app_ports):
                await asyncio.sleep(0.5)
            _wait_health(f"http://127.0.0.1:{floor_port}", floor)
            floor_meter = Meter([floor.pid])
            floor_cpu0 = floor_meter.cpu()
            floors = []
            for _ in range(4):
                ctx, page = await _new_page(browser, external)
                floors.append(await _time_to_map(page, f"http://127.0.0.1:{floor_port}", "/", 4))
                await ctx.close()
            floor_s = statistics.median(floors[1:])
            floor_cpu = (floor_meter.cpu() - floor_cpu0) / len(floors)
            floor_meter.close()
            out["floor_s"] = round(floor_s, 2)
            out["floor_cpu_s_per_view"] = round(floor_cpu, 3)
            print(f"floor (4-polygon page): {floor_s:.2f} s (median of {len(floors) - 1}; "
                  f"{', '.join(f'{f:.2f}' for f in floors[1:])}); its server CPU "
                  f"{floor_cpu:.3f} s/view", flush=True)
            browser_meter = BrowserMeter()
            floor_base = f"http://127.0.0.1:{floor_port}"
            for n in args.sessions:
                times: list[float] = []
                errors: list[str] = []
                meter.reset_peak()
                cpu0, bcpu0 = meter.cpu(), browser_meter.cpu()
                t0 = time.monotonic()
                await asyncio.gather(*(_session(browser, base, i, args.rounds, times, errors,
                                                external) for i in range(n)))
                wall = time.monotonic() - t0
                views = len(times) + len(errors)
                cpu = (meter.cpu() - cpu0) / max(views, 1)
                bcpu = (browser_meter.cpu() - bcpu0) / max(views, 1)
                # the floor page under the same number of sessions at once
                ftimes: list[float] = []
                await asyncio.gather(*(_floor_session(browser, floor_base, ftimes, errors,
                                                      external) for _ in range(n)))
                row = {"p50_s": round(_pct(times, .5), 2), "p90_s": round(_pct(times, .9), 2),
                       "max_s": round(max(times), 2) if times else None,
                       "views": views, "errors": len(errors), "cpu_s_per_view": round(cpu, 3),
                       "peak_rss_mb": round(meter.peak / 1e6), "wall_s": round(wall, 1),
                       "browser_cpu_s_per_view": round(bcpu, 3),
                       "p50_over_floor": round(_pct(times, .5) / floor_s, 2),
                       "floor_same_n": {"p50_s": round(_pct(ftimes, .5), 2),
                                        "p90_s": round(_pct(ftimes, .9), 2)},
                       "p90_over_floor_same_n": round(_pct(times, .9) / _pct(ftimes, .9), 2)
                       if ftimes else None}
                out[f"n{n}"] = row
                print(f"N={n:>2}: time to map {_fmt(times)} ({views} views, {len(errors)} "
                      f"errors{': ' + '; '.join(errors[:3]) if errors else ''}); server CPU "
                      f"{cpu:.3f} s/view; browser CPU {bcpu:.2f} s/view; peak server memory "
                      f"{meter.peak / 1e6:.0f} MB; p50/floor {row['p50_over_floor']}\n"
                      f"      floor page with {n} sessions at once: {_fmt(ftimes)}; "
                      f"p90 app/floor {row['p90_over_floor_same_n']}", flush=True)
                if n == 1:
                    drills = []
                    for _ in range(2):
                        try:
                            drills.append(await _drill(browser, base, external))
                        except Exception as exc:
                            print(f"drill-down failed: {type(exc).__name__}: {exc}"[:300])
                    if drills:
                        out["drill_s"] = [round(d, 2) for d in drills]
                        print("drill-down click to the kecamatan map: "
                              + ", ".join(f"{d:.2f} s" for d in drills), flush=True)
            browser_meter.close()
            await browser.close()
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
                    help="app processes (2+: behind HAProxy with sticky cookies)")
    ap.add_argument("--rounds", type=int, default=1, help="home + other page per session")
    ap.add_argument("--keep-logs", action="store_true")
    args = ap.parse_args(argv)
    if args.processes > 1 and not shutil.which("haproxy") and not Path("/usr/sbin/haproxy").exists():
        ap.error("--processes > 1 needs HAProxy (apt-get install haproxy)")
    # SIGTERM (e.g. `timeout`) ends like Ctrl+C, so the servers started here are stopped.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    return asyncio.run(_run(args))


if __name__ == "__main__":
    main()
