"""A meeting room in the load benchmark (benchmarks.load.run --room): N participants
open the shared link at once, each on their own device, one server.

On this one 2-core machine, N headless browsers take the cores the server needs (N
browsers at once slow the 4-polygon floor itself 10-15 fold), which a room of laptops
does not. Here one participant is a real headless Chromium, measured as everywhere in the
benchmark (time to the map drawn, first view by link, then a click on another page's
link). The N-1 others ask of the server exactly what their browsers would:

* every file a browser fetched for the same two views (recorded once per pair of pages,
  before the meters run), with curl: gzip, as many connections as a browser, the
  proxy's cookie, through the same proxy;
* both script runs over Streamlit's own protocol on one websocket
  (benchmarks.load.server), connecting when a browser would (as long after opening the
  link as the recording browser took to load the app);
* the click on the other page between 1 and 3 s after the first run ended (the time its
  own device takes to draw the map), spread over the room.

Every wait has a timeout.
"""
from __future__ import annotations

import asyncio
import http.cookiejar
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.load.browser import (
    HOMES,
    OTHER_PAGES,
    _new_page,
    _session,
    _time_to_click_map,
    _time_to_map,
)
from benchmarks.load.procs import TIMEOUT, pct
from benchmarks.load.server import ProtocolSession

CURL_PARALLEL = 6          # connections per host, as Chromium opens


async def files_of_views(browser, base: str, home: tuple[str, int], other: str,
                         external: list) -> tuple[list[str], float]:
    """The same-origin files (paths) a new browser fetches for the first view of ``home``
    and the click on ``other``'s link, in order; and the seconds from opening the link to
    the app's websocket opening (the browser loading the app's code)."""
    ctx, page = await _new_page(browser, external)
    paths: list[str] = []
    connected: list[float] = []
    page.on("request", lambda r: paths.append(r.url[len(base):])
            if r.url.startswith(base) and r.resource_type != "websocket" else None)
    page.on("websocket", lambda _ws: connected.append(time.monotonic()))
    try:
        t0 = time.monotonic()
        await _time_to_map(page, base, *home)
        await _time_to_click_map(page, other, home[1])
        await page.wait_for_timeout(1000)           # the view's last files
    finally:
        await ctx.close()
    return list(dict.fromkeys(paths)), (connected[0] - t0 if connected else 0.0)


async def _fetch(base: str, paths: list[str], jar: Path) -> None:
    """Fetch ``paths`` from ``base`` like a browser (compressed, parallel connections, the
    proxy's stickiness cookie kept); raises, naming the files, when one fails."""
    if not paths:
        return
    args = [shutil.which("curl") or "/usr/bin/curl", "--no-progress-meter", "--compressed",
            "--parallel", "--parallel-max", str(CURL_PARALLEL), "--max-time", str(int(TIMEOUT)),
            "--cookie", str(jar), "--cookie-jar", str(jar),
            "--write-out", "%{http_code} %{url_effective}\\n"]
    for path in paths:
        args += ["--output", "/dev/null", base + path]
    proc = await asyncio.create_subprocess_exec(*args, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), TIMEOUT)
    failed = [line for line in out.decode(errors="replace").splitlines()
              if not line.startswith(("2", "3"))]
    if proc.returncode or failed:
        raise RuntimeError(f"curl {proc.returncode}: {'; '.join(failed[:3])} "
                           f"{err.decode(errors='replace')[:200]}".strip())


def _cookie_header(jar: Path) -> str:
    """The cookies of curl's jar file (Netscape format) as a Cookie header."""
    if not jar.exists():
        return ""
    cookies = http.cookiejar.MozillaCookieJar(jar)
    cookies.load(ignore_discard=True, ignore_expires=True)
    return "; ".join(f"{c.name}={c.value}" for c in cookies)


def _page_query(path: str) -> tuple[str, str]:
    """("", "wilayah=62") for "/?wilayah=62": the page's URL path and query string."""
    page, _, query = path.lstrip("/").partition("?")
    return page, query


async def _remote(base: str, home: str, other: str, files: list[str], connect_s: float,
                  think_s: float, jar: Path) -> list[tuple[float, float]]:
    """A participant on their own device: the app's page and code, then, ``connect_s``
    after opening the link (when a browser has loaded the app), its first view's run (on
    the process the proxy's cookie keeps it on) and then the files its elements and map
    ask for, and after ``think_s`` the click on ``other``. Seconds to the map's message
    and to the end of each run."""
    t0 = time.monotonic()
    split = next((i for i, f in enumerate(files) if f.startswith("/_stcore/")), len(files))
    await _fetch(base, files[:split], jar)
    await asyncio.sleep(max(0.0, connect_s - (time.monotonic() - t0)))
    async with ProtocolSession(base, _cookie_header(jar)) as session:
        page, query = _page_query(home)
        runs = [await session.run(page, query)]
        await _fetch(base, files[split:], jar)
        await asyncio.sleep(think_s)
        runs.append(await session.run(other, query))
    return runs


def _trial(t: int) -> tuple[tuple[str, int], str]:
    """The measured browser's home (path, polygons) and other page in trial ``t`` (what
    benchmarks.load.browser._session opens as visitor ``t``)."""
    return HOMES[t % len(HOMES)], OTHER_PAGES[t % len(OTHER_PAGES)]


async def room(browser, base: str, n: int, trials: int, files: dict, external: list) -> dict:
    """``trials`` times: N participants at once, the measured browser among them (its home
    and other page rotating over HOMES and OTHER_PAGES; ``files`` maps (home path, other
    page) to the files of those views and when a browser connects). Times of the measured
    browser's first and next views, and the errors of all participants."""
    first: list[float] = []
    nxt: list[float] = []
    errors: list[str] = []

    async def guarded(coro, label: str) -> None:
        try:
            await coro
        except Exception as exc:  # timeout, refused connection, exception on page
            errors.append(f"{label}: {type(exc).__name__}: {exc}"[:160])

    tmp = Path(tempfile.mkdtemp(prefix="bench-room-"))
    try:
        for t in range(trials):
            home, other = _trial(t)
            paths, connect_s = files[(home[0], other)]
            remotes = [guarded(_remote(base, home[0], other, paths, connect_s,
                                       1.0 + 2.0 * i / max(n - 2, 1),
                                       tmp / f"jar-{t}-{i}.txt"), f"participant {i + 1}")
                       for i in range(n - 1)]
            measured = _session(browser, base, t, 1, first, nxt, errors, external)
            await asyncio.gather(guarded(measured, "measured browser"), *remotes)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"first": first, "next": nxt, "errors": errors}


def room_line(n: int, result: dict, single: dict) -> tuple[str, dict]:
    """The printed line and the numbers of a room of ``n``, against one visitor alone
    (``single``: first_s, next_s)."""
    first, nxt = result["first"], result["next"]

    def over(values: list[float], alone: float):
        return round(pct(values, .9) / alone, 2) if values else None

    row = {"first_p50_s": round(pct(first, .5), 2), "first_p90_s": round(pct(first, .9), 2),
           "first_max_s": round(max(first), 2) if first else None,
           "next_p50_s": round(pct(nxt, .5), 2), "next_p90_s": round(pct(nxt, .9), 2),
           "next_max_s": round(max(nxt), 2) if nxt else None,
           "trials": len(first), "errors": len(result["errors"]),
           "first_p90_over_single": over(first, single["first_s"]),
           "next_p90_over_single": over(nxt, single["next_s"])}
    errors = result["errors"]
    line = (f"  room of {n:>2} ({row['trials']} trials, {len(errors)} errors"
            f"{': ' + '; '.join(errors[:3]) if errors else ''}):\n"
            f"    first view p50 {row['first_p50_s']:.2f} s, p90 {row['first_p90_s']:.2f} s, "
            f"max {row['first_max_s']} s; p90 / one visitor {row['first_p90_over_single']}\n"
            f"    next view  p50 {row['next_p50_s']:.2f} s, p90 {row['next_p90_s']:.2f} s, "
            f"max {row['next_max_s']} s; p90 / one visitor {row['next_p90_over_single']}")
    return line, row


async def report(browser, base: str, sizes: list[int], trials: int, single: dict,
                 meter, external: list) -> dict:
    """Every room size of ``sizes``: print its line (with server CPU per view and peak
    memory) and return the numbers."""
    files: dict[tuple[str, str], tuple[list[str], float]] = {}
    for t in range(trials):                 # recorded before the meters run
        home, other = _trial(t)
        if (home[0], other) not in files:
            files[(home[0], other)] = await files_of_views(browser, base, home, other, external)
    out = {"files_per_participant": round(sum(len(f) for f, _ in files.values()) / len(files)),
           "connect_s": round(max(c for _, c in files.values()), 2)}
    print(f"a room: one measured browser among N-1 participants asking the server what "
          f"their browsers would ({out['files_per_participant']} files, connecting "
          f"{out['connect_s']:.1f} s after opening the link, two runs):",
          flush=True)
    for n in sizes:
        meter.reset_peak()
        cpu0, t0 = meter.cpu(), time.monotonic()
        result = await room(browser, base, n, trials, files, external)
        line, row = room_line(n, result, single)
        row["cpu_s_per_view"] = round((meter.cpu() - cpu0) / max(2 * n * trials, 1), 3)
        row["peak_rss_mb"] = round(meter.peak / 1e6)
        row["wall_s"] = round(time.monotonic() - t0, 1)
        out[f"n{n}"] = row
        print(f"{line}\n    server CPU {row['cpu_s_per_view']:.3f} s/view; peak server "
              f"memory {row['peak_rss_mb']} MB; {row['wall_s']:.0f} s", flush=True)
    return out
