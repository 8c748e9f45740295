"""Start the dashboard with its caches warmed at server start, not at the first visitor.

    python -m components.serve [streamlit run options...]   # e.g. --server.port 8502

Same as ``streamlit run app.py [options]``, plus a background thread
(:func:`components.warmup.start_warm_up`) started in the server process before Streamlit
starts listening: it reads the joined registry and the indicator table, and writes the
map files (geometry per level and parent, Posyandu per kabupaten) to ``static/geo``. Those
caches are process-wide (``st.cache_resource``), so the first visitor finds them ready.
``run.sh`` and the systemd unit in ``deploy/`` start the app this way.

Every HTTP response also says it may be shown in a frame of this site only
(``X-Frame-Options: SAMEORIGIN`` and ``Content-Security-Policy: frame-ancestors 'self'``,
against clickjacking of the login and Kelola Data): Streamlit has no setting for response
headers, so :func:`add_middleware` adds a small ASGI middleware to the stack Streamlit's
server builds. HAProxy sets the same headers (deploy/haproxy.cfg) for a deployment.

The page Streamlit sends also lists the code of a map page's elements for the browser to
fetch while the page connects (components.preload.PreloadLinks, same stack).

A link longer than :data:`MAX_LINK_BYTES` (path and query string) gets a quick, short
answer instead of a page that cannot load: ``414`` with a small page in Indonesian and
English ("Tautan terlalu panjang", a link to the home page), by :class:`LinkGuard`, the
same middleware stack. HAProxy answers the same page before a request reaches the app.
"""
from __future__ import annotations

import logging
import sys
import warnings
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"

FRAME_HEADERS = ((b"x-frame-options", b"SAMEORIGIN"),
                 (b"content-security-policy", b"frame-ancestors 'self'"))


#: The longest path + query string answered with the app (bytes, percent-encoded as sent).
#: A view's link is a few hundred bytes; an agenda presentation link under 1 KB.
MAX_LINK_BYTES = 8192

TOO_LONG_PAGE = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tautan terlalu panjang</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
<h1>Tautan terlalu panjang</h1>
<p>Tautan yang dibuka lebih panjang dari 8 KB ({limit} byte), sehingga tidak dapat dibaca
oleh Peta Posyandu. Mungkin tautan tersalin berulang atau tertempel bersama teks lain.</p>
<p><a href="/">Buka halaman utama Peta Posyandu</a>, lalu pilih wilayah dan indikator lagi.</p>
<hr><p lang="en"><b>Link too long.</b> The link is longer than 8 KB and cannot be read.
<a href="/">Open the Peta Posyandu home page</a>.</p>
</body></html>
""".format(limit=f"{MAX_LINK_BYTES:,}".replace(",", ".")).encode()


def link_bytes(scope) -> int:
    """Bytes of the path and query string of an ASGI request as sent."""
    path = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
    return len(path) + len(scope.get("query_string") or b"")


class LinkGuard:
    """ASGI middleware: a request whose link (path + query) exceeds ``limit`` bytes gets
    414 and :data:`TOO_LONG_PAGE` at once (HTTP and websocket handshakes alike; the app
    is never called)."""

    def __init__(self, app, limit: int = MAX_LINK_BYTES):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        kind = scope.get("type")
        if kind not in ("http", "websocket") or link_bytes(scope) <= self.limit:
            await self.app(scope, receive, send)
            return
        if kind == "websocket":
            await send({"type": "websocket.close", "code": 1009})
            return
        await send({"type": "http.response.start", "status": 414,
                    "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                (b"content-length", str(len(TOO_LONG_PAGE)).encode()),
                                (b"cache-control", b"no-store"), *FRAME_HEADERS]})
        await send({"type": "http.response.body", "body": TOO_LONG_PAGE})


class FrameGuard:
    """ASGI middleware: the frame headers on every HTTP response (replacing any
    X-Frame-Options already set; websockets pass through)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return

        async def send_guarded(message):
            if message.get("type") == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"x-frame-options"]
                message = {**message, "headers": [*headers, *FRAME_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_guarded)


def add_middleware() -> None:
    """Put LinkGuard, FrameGuard and components.preload.PreloadLinks first in the
    middleware of Streamlit's (Starlette) server; call before the server starts.
    Idempotent."""
    try:
        from starlette.middleware import Middleware
        from streamlit.web.server.starlette import starlette_app
        build = starlette_app.create_streamlit_middleware
    except (ImportError, AttributeError):    # another Streamlit server: HAProxy's headers
        logging.getLogger("peta").warning("frame headers not set by the app server "
                                          "(Streamlit's server changed); rely on HAProxy")
        return
    if getattr(build, "peta_frame_guard", False):
        return

    def with_frame_guard():
        from components.preload import PreloadLinks
        # PreloadLinks innermost: it reads the page before Streamlit's gzip compresses it
        return [Middleware(LinkGuard), Middleware(FrameGuard), *build(),
                Middleware(PreloadLinks)]

    with_frame_guard.peta_frame_guard = True
    starlette_app.create_streamlit_middleware = with_frame_guard


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The warm-up thread calls cached functions outside a script run: Streamlit then
    # warns about a missing ScriptRunContext, which is expected here. (A filter: Streamlit
    # resets its loggers' levels from its config when it starts.)
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    warnings.filterwarnings("ignore", message=".*ScriptRunContext.*")
    from streamlit.web import cli

    from components import warmup
    add_middleware()
    warmup.start_warm_up()
    sys.argv = ["streamlit", "run", str(APP), *argv]
    cli.main()


if __name__ == "__main__":
    main()
