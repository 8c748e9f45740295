"""Server capacity without browsers: N visitors at once, each speaking Streamlit's own
protocol (a websocket carrying protobuf messages) as the browser's frontend does.

Used by ``benchmarks.load.run --server-sessions``. On one 2-core machine the browsers
of ten participants hold the cores the server needs (in a meeting each runs on its own
device), so the browser measures cannot show what the server itself can take, nor what a
second app process adds. Here each session opens a page with its query string, as a
shared link does; the time to map is from the connection until the message carrying the
map arrives (the map's files are static, cached by the proxy and the browser); the time
to the end of the run is measured too. Every wait has a timeout.
"""
from __future__ import annotations

import asyncio
import time

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.load.procs import pct

TIMEOUT_S = 120.0
MAP_COMPONENT = "st_folium"


class ProtocolSession:
    """One visitor's connection speaking Streamlit's protocol: ``run`` asks for a page as
    the browser's frontend does (a shared link, then a click on a page link) on the same
    websocket, and waits for the run to end. Use as ``async with ProtocolSession(base)``."""

    def __init__(self, base: str, cookie: str = ""):
        self.url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.cookie = cookie        # e.g. the proxy's stickiness cookie, as a browser sends
        self.ws = None

    async def __aenter__(self) -> ProtocolSession:
        import websockets

        self.ws = await websockets.connect(
            self.url, subprotocols=["streamlit"], max_size=None, open_timeout=TIMEOUT_S,
            additional_headers={"Cookie": self.cookie} if self.cookie else None)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def run(self, page: str, query: str, t0: float | None = None) -> tuple[float, float]:
        """Seconds from ``t0`` (default: now) until the map's message, and until the end of
        the script run, for page ``page`` (its URL path, "" for home) and ``query``."""
        t0 = time.monotonic() if t0 is None else t0
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        await self.ws.send(msg.SerializeToString())
        deadline = t0 + TIMEOUT_S
        mapped = None
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), max(0.1, deadline - time.monotonic()))
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "page_not_found":
                raise RuntimeError(f"page not found: {page!r}")
            element = (fwd.delta.new_element.WhichOneof("type")
                       if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element"
                       else None)
            if element == "exception":
                raise RuntimeError("exception on page")
            if (mapped is None and element == "component_instance"
                    and MAP_COMPONENT in fwd.delta.new_element.component_instance.component_name):
                mapped = time.monotonic() - t0
            if kind == "script_finished" and mapped is not None and fwd.script_finished in (
                    ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                return mapped, time.monotonic() - t0


async def protocol_view(base: str, page: str, query: str) -> tuple[float, float]:
    """Seconds from connecting to ``base`` (http://host:port) until the map's message,
    and until the end of the script run, for page ``page`` (its URL path, "" for home)
    and ``query`` (e.g. "wilayah=62")."""
    t0 = time.monotonic()
    async with ProtocolSession(base) as session:
        return await session.run(page, query, t0)


PAGES = [("", "wilayah=62"), ("stunting", "wilayah=62"), ("kader", ""),
         ("konektivitas", "wilayah=62"), ("risiko_bencana", "wilayah=62"), ("peringkat", ""),
         ("layanan_spm", "wilayah=62"), ("", "")]


async def sessions_at_once(base: str, n: int) -> tuple[list[float], list[float], list[str]]:
    """``n`` sessions connecting at once, each opening one page (rotating over PAGES):
    times to map, times to the end of the run, errors."""
    async def one(i: int):
        page, query = PAGES[i % len(PAGES)]
        try:
            return await protocol_view(base, page, query)
        except Exception as exc:  # timeout, refused connection, closed socket
            return f"/{page}?{query}: {type(exc).__name__}"

    results = await asyncio.gather(*(one(i) for i in range(n)))
    ok = [r for r in results if isinstance(r, tuple)]
    return [m for m, _ in ok], [d for _, d in ok], [r for r in results if isinstance(r, str)]


async def report(base: str, counts: list[int], meter, label: str) -> dict:
    """Run ``sessions_at_once`` for each N of ``counts`` against ``base``; print one line per
    N (time to map and to the end of the run p50/p90/max, errors, server CPU per view) and
    return the numbers."""
    out = {}
    await sessions_at_once(base, 2 * len(PAGES))   # each page served once on every process
    for n in counts:
        meter.reset_peak()
        cpu0 = meter.cpu()
        mapped, done, errors = await sessions_at_once(base, n)
        cpu = (meter.cpu() - cpu0) / max(n, 1)
        row = {"map_p50_s": round(pct(mapped, .5), 2), "map_p90_s": round(pct(mapped, .9), 2),
               "map_max_s": round(max(mapped), 2) if mapped else None,
               "run_p90_s": round(pct(done, .9), 2), "errors": len(errors),
               "cpu_s_per_view": round(cpu, 3), "peak_rss_mb": round(meter.peak / 1e6)}
        out[f"n{n}"] = row
        print(f"  {label}, N={n:>2} at once: to map p50 {row['map_p50_s']:.2f} s, p90 "
              f"{row['map_p90_s']:.2f} s, max {row['map_max_s']} s; run ends p90 "
              f"{row['run_p90_s']:.2f} s; {len(errors)} errors"
              f"{': ' + '; '.join(errors[:3]) if errors else ''}; server CPU {cpu:.3f} s/view, "
              f"peak memory {row['peak_rss_mb']} MB",
              flush=True)
    return out
