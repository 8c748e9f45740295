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
headers, so :func:`protect_frames` adds a small ASGI middleware to the stack Streamlit's
server builds. HAProxy sets the same headers (deploy/haproxy.cfg) for a deployment.
"""
from __future__ import annotations

import logging
import sys
import warnings
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"

FRAME_HEADERS = ((b"x-frame-options", b"SAMEORIGIN"),
                 (b"content-security-policy", b"frame-ancestors 'self'"))


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


def protect_frames() -> None:
    """Put FrameGuard first in the middleware of Streamlit's (Starlette) server; call
    before the server starts. Idempotent."""
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
        return [Middleware(FrameGuard), *build()]

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
    protect_frames()
    warmup.start_warm_up()
    sys.argv = ["streamlit", "run", str(APP), *argv]
    cli.main()


if __name__ == "__main__":
    main()
