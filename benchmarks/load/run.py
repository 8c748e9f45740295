"""Load benchmark of the maps: real browsers against a real server, on 127.0.0.1.

    python -m benchmarks.load --sessions 1,5,10 [--processes 2] [--rounds 1] [--direct]

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
  (a link opened in a new browser: empty cache; also the time to the page drawn around
  the map, its frame there and no placeholder left: what is not the map), the next view
  (a click on another page's link in the sidebar: what a visitor does next), the way
  back (a click on the first page's link: its code is in the browser, the map stays
  mounted), and the first page's link opened again (a reload: cached files, but the app
  starts again in the browser), with the server CPU seconds of each; then drill-downs on
  Kalimantan Tengah (click a regency, "Buka wilayah ini", until its kecamatan map is
  drawn) with their server CPU;
* per N in ``--sessions``: N new browsers at once, each opening the national or Kalimantan
  Tengah's map by its link and then clicking one other map page (rotating), ``--rounds``
  times; first and next views p50/p90/max,
  errors, server CPU seconds per view (all app processes), peak server memory (sum of
  resident sets, sampled every 0.2 s), the browsers' own CPU seconds per view, and the
  floor page with the same N sessions at once (the browsers run on the same two cores as
  the server: this is what N sessions cost with nothing to compute);
* a meeting room, per N in ``--room`` (default 10,30): one measured browser among N-1
  participants on their own devices, who ask the server for what their browsers would
  (the same files and both script runs, ``benchmarks.load.room``), all at once,
  ``--room-trials`` times; the measured browser's first and next views p50/p90/max
  against one visitor alone, errors, server CPU per view, peak memory;
* the server alone, per N in ``--server-sessions`` (default 1,10,30): N clients at once
  speaking Streamlit's protocol instead of browsers (``benchmarks.load.server``), each
  opening one page as a shared link does; time to the map's message and to the end of
  the run, errors, server CPU per view, peak memory; with ``--processes 2`` or more, the
  same again with all clients on one of the processes, which shows what the others add.

The browsers' sessions are in ``benchmarks.load.browser``, the processes and meters in
``benchmarks.load.procs``. "Time to map" = from navigation to the choropleth drawn in the
map iframe. Loops are bounded (every wait has a timeout). Prints one line per measure
and, last, one JSON object. The machine's other load makes the numbers vary: run it a
few times.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.load import room as bench_room
from benchmarks.load import server as bench_server
from benchmarks.load.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    HOME,
    _drill,
    _floor_session,
    _new_page,
    _session,
    _single_visitor,
    _time_to_map,
)
from benchmarks.load.procs import (
    TIMEOUT,
    BrowserMeter,
    Meter,
    _free_port,
    _stop,
    _streamlit,
    _wait_health,
    haproxy_config,
    pct,
)


def _stats(values: list[float]) -> dict:
    return {"p50_s": round(pct(values, .5), 2), "p90_s": round(pct(values, .9), 2),
            "max_s": round(max(values), 2) if values else None}


def _fmt(values: list[float]) -> str:
    return (f"p50 {pct(values, .5):.2f} s, p90 {pct(values, .9):.2f} s, "
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
                             "back_over_floor": round(app["back_s"] / fl["back_s"], 2),
                             "reload_over_floor": round(app["reload_s"] / fl["reload_s"], 2),
                             "drill_s": [round(d, 2) for d, _ in drills],
                             "drill_cpu_s": [round(c, 3) for _, c in drills]}
            print(f"one visitor at a time (median of 3 new browsers):\n"
                  f"  first view (a link opened, empty browser cache): {app['first_s']:.2f} s; "
                  f"floor {fl['first_s']:.2f} s; ratio {out['single']['first_over_floor']}\n"
                  f"    the page drawn around its map (the map's frame there, no placeholder "
                  f"left): {app['first_page_s']:.2f} s; floor {fl['first_page_s']:.2f} s; ratio "
                  f"{app['first_page_s'] / fl['first_page_s']:.2f}; then the map in its frame "
                  f"+{app['first_s'] - app['first_page_s']:.2f} s; floor "
                  f"+{fl['first_s'] - fl['first_page_s']:.2f} s\n"
                  f"  next view (a click on another page's link): {app['next_s']:.2f} s; floor "
                  f"{fl['next_s']:.2f} s; ratio {out['single']['next_over_floor']}\n"
                  f"  back (a click on the first page's link): {app['back_s']:.2f} s; floor "
                  f"{fl['back_s']:.2f} s; ratio {out['single']['back_over_floor']}\n"
                  f"  the first page's link opened again (reload): {app['reload_s']:.2f} s; floor "
                  f"{fl['reload_s']:.2f} s; ratio {out['single']['reload_over_floor']}\n"
                  f"  server CPU per view: first {app['first_cpu_s']:.3f} s (floor "
                  f"{fl['first_cpu_s']:.3f} s), next {app['next_cpu_s']:.3f} s (floor "
                  f"{fl['next_cpu_s']:.3f} s), back {app['back_cpu_s']:.3f} s (floor "
                  f"{fl['back_cpu_s']:.3f} s), reload {app['reload_cpu_s']:.3f} s (floor "
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
                           "first": round(pct(first, .9) / app["first_s"], 2) if first else None,
                           "next": round(pct(nxt, .9) / app["next_s"], 2) if nxt else None}}
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
            if args.room:
                out["room"] = await bench_room.report(browser, base, args.room, args.room_trials,
                                                      app, meter, external)
            await browser.close()
        if args.server_sessions:
            # the server alone: protocol clients instead of browsers (benchmarks.load.server)
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
    ap.add_argument("--room", default="10,30",
                    type=lambda s: [int(x) for x in s.split(",") if x.strip()],
                    help="room sizes: one measured browser among N-1 participants on their "
                         "own devices (benchmarks.load.room); '' to skip")
    ap.add_argument("--room-trials", type=int, default=6,
                    help="times each room opens the link at once")
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
