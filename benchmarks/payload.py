"""Bytes a browser transfers to show a province view, phone vs desktop (not a test).

    python -m benchmarks.payload [--url http://127.0.0.1:8501] [--paths "/?wilayah=62" ...]

Without ``--url`` it starts the dashboard itself (``streamlit run app.py`` on a free port
of 127.0.0.1, data from PETA_DATA_DIR) and stops it at the end. Each view is loaded in a
fresh browser context (empty cache, like a first visit from a shared link) as a phone
(390×844, is_mobile, touch, device scale 3) and as a desktop (1920×1080), waits until the
map is drawn and Streamlit is idle, and counts through the DevTools protocol:

* HTTP: bytes on the wire per response (``encodedDataLength``: headers + compressed body),
  grouped by kind (Streamlit's JS/CSS, fonts, the st_folium component, map libraries under
  /app/static, the page itself, other);
* WebSocket: the payload of the frames the server sent (the script's output, including
  the map's HTML and GeoJSON) after decompression, as DevTools shows them, and the same
  frames deflated one by one (zlib level 6): about what travels when the server
  negotiates ``permessage-deflate`` (``server.enableWebsocketCompression``; whether it
  did is printed as ``ws compression``).

``total`` counts the WebSocket deflated when compression was negotiated, raw otherwise.
Prints one table per view and, last, one JSON line with every number.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zlib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MOBILE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/131.0.0.0 Mobile Safari/537.36")
PROFILES = {
    "phone": dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                  device_scale_factor=3, user_agent=MOBILE_UA),
    "desktop": dict(viewport={"width": 1920, "height": 1080}),
}
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def kind(url: str, mime: str) -> str:
    path = url.split("?")[0]
    if "/component/" in path:
        return "st_folium component"
    if "/app/static/" in path:
        return "map libraries (/app/static)"
    if "font" in mime or path.endswith((".woff", ".woff2", ".ttf")):
        return "fonts"
    if "/static/" in path and path.endswith((".js", ".css", ".mjs")):
        return "streamlit js/css"
    if "html" in mime:
        return "page html"
    return "other http"


def measure(browser, url: str, profile: dict, timeout: float) -> dict:
    context = browser.new_context(service_workers="block", **profile)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    info: dict[str, tuple[str, str]] = {}
    http = defaultdict(int)
    ws = [0, 0, 0]  # bytes, deflated bytes, frames
    deflate = {"on": False}

    def on_response(e):
        info[e["requestId"]] = (e["response"]["url"], e["response"].get("mimeType", ""))

    def on_finished(e):
        u, mime = info.get(e["requestId"], ("", ""))
        http[kind(u, mime)] += int(e["encodedDataLength"])

    def on_frame(e):
        r = e["response"]
        data = r.get("payloadData", "")
        raw = base64.b64decode(data) if r.get("opcode") == 2 else data.encode()
        ws[0] += len(raw)
        ws[1] += len(zlib.compress(raw, 6))
        ws[2] += 1

    def on_handshake(e):
        headers = {k.lower(): v for k, v in e["response"].get("headers", {}).items()}
        deflate["on"] = "permessage-deflate" in headers.get("sec-websocket-extensions", "")

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("Network.webSocketFrameReceived", on_frame)
    cdp.on("Network.webSocketHandshakeResponseReceived", on_handshake)
    page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
    page.frame_locator(MAP_IFRAME).first.locator("path.leaflet-interactive").first.wait_for(
        state="attached", timeout=timeout * 1000)
    page.wait_for_function("""() => { const w = document.querySelector('[data-testid="stStatusWidget"]');
                               return !w || !/running/i.test(w.innerText); }""", timeout=timeout * 1000)
    page.wait_for_timeout(2500)  # late requests (fonts, map refit)
    context.close()
    out = dict(sorted(http.items(), key=lambda kv: -kv[1]))
    out["websocket (script output)"] = ws[0]
    out["websocket deflated (estimate)"] = ws[1]
    out["total"] = sum(http.values()) + (ws[1] if deflate["on"] else ws[0])
    out["ws compression"] = int(deflate["on"])
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the dashboard did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", help="a running dashboard (default: start one)")
    ap.add_argument("--paths", nargs="+", default=["/?wilayah=62", "/stunting?wilayah=62"])
    ap.add_argument("--timeout", type=float, default=300.0)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    proc, base = (None, args.url.rstrip("/")) if args.url else start_server()
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            measure(browser, base + args.paths[0], PROFILES["desktop"], args.timeout)  # warm caches
            for path in args.paths:
                for name, profile in PROFILES.items():
                    results[f"{path} {name}"] = measure(browser, base + path, profile, args.timeout)
            browser.close()
    finally:
        if proc is not None:
            os.killpg(proc.pid, 15)
    for path in args.paths:
        phone, desk = results[f"{path} phone"], results[f"{path} desktop"]
        print(f"\n{path}   (kB; phone 390x844 vs desktop 1920x1080)")
        for k in dict.fromkeys([*phone, *desk]):
            if k == "ws compression":
                print(f"  {k:32s} {'on' if phone[k] else 'off':>9s} {'on' if desk[k] else 'off':>9s}")
            else:
                print(f"  {k:32s} {phone.get(k, 0) / 1000:9.1f} {desk.get(k, 0) / 1000:9.1f}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
