"""Streamlit's code for the elements of a map page, fetched while the page connects.

Streamlit's frontend loads the code of most element types only when the first element of
that type arrives: the sidebar's select boxes, radio and checkbox, ``st.html``, Markdown
with HTML, and the map's component frame (~35 files on a first visit, requested after the
script run has begun). The page Streamlit sends lists its own start-up files as
``<link rel="modulepreload">``; :class:`PreloadLinks` adds the files of :data:`ELEMENTS`
(and every file they import) to that list, so the browser fetches and compiles them
before the elements arrive. Measured (README, issue 29): a small gain through the proxy;
the links also compete with Streamlit's start-up files, so they are kept to this list.

The files are found in the installed Streamlit by name (``Selectbox.<hash>.js``) and their
static imports are followed; a name that is not found is logged and skipped (the page then
loads that code as before). tests/unit/test_preload.py fails when a name is no longer found.
"""
from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path

_LOG = logging.getLogger(__name__)

#: Element code a map page needs in its first view: the sidebar's widgets, st.html (the
#: page's style, the trend), Markdown with HTML (headings, key figures, legend), the map's
#: component frame.
ELEMENTS = ("Radio", "Selectbox", "Checkbox", "Html", "rehype-raw", "ComponentInstance")
_IMPORT = re.compile(r'(?:from|import)\s*"\./([\w.$-]+\.js)"')
_LISTED = re.compile(r'static/js/([\w.$-]+\.js)')


def streamlit_static() -> Path:
    import streamlit
    return Path(streamlit.__file__).parent / "static"


def _imports(js: Path) -> list[str]:
    """Files ``js`` imports statically (its first lines: the bundler writes them first)."""
    head = js.read_text(encoding="utf-8", errors="replace")[:20_000]
    return _IMPORT.findall(head)


@cache
def chunk_files(static: Path | None = None, elements: tuple[str, ...] = ELEMENTS) -> tuple[str, ...]:
    """Files below ``static/js`` that ``elements`` need and Streamlit's page does not list
    already, in load order (an element's file, then what it imports)."""
    static = static or streamlit_static()
    js_dir = static / "static" / "js"
    listed = set(_LISTED.findall((static / "index.html").read_text(encoding="utf-8")))
    out: list[str] = []
    seen = set(listed)
    for name in elements:
        found = sorted(js_dir.glob(f"{name}.*.js"))
        found = [f for f in found if f.name.count(".") == 2]     # Name.<hash>.js only
        if len(found) != 1:
            _LOG.warning("preload: Streamlit's code for %s not found (%d files)", name,
                         len(found))
            continue
        todo = [found[0].name]
        while todo:
            f = todo.pop(0)
            if f in seen or not (js_dir / f).is_file():
                continue
            seen.add(f)
            out.append(f)
            todo.extend(_imports(js_dir / f))
    return tuple(out)


def links(files: tuple[str, ...]) -> bytes:
    """The modulepreload links of ``files`` (below ``static/js``)."""
    return "".join(f'<link rel="modulepreload" crossorigin href="./static/js/{f}">'
                   for f in files).encode()


class PreloadLinks:
    """ASGI middleware: Streamlit's page (the HTML that loads ``./static/js/index.*``) gets
    :func:`links` of :func:`chunk_files` before ``</head>``; every other response passes
    unchanged."""

    MARK = b'src="./static/js/index.'

    def __init__(self, app):
        self.app = app
        self.extra = links(chunk_files())

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http" or scope.get("method") != "GET" or not self.extra:
            await self.app(scope, receive, send)
            return
        start: dict | None = None
        body = bytearray()
        passing = False

        async def send_page(message):
            nonlocal start, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = dict((k.lower(), v) for k, v in message.get("headers", []))
                if (headers.get(b"content-type", b"").startswith(b"text/html")
                        and b"content-encoding" not in headers):
                    start = message
                    return
                passing = True
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            page = bytes(body)
            if self.MARK in page and b"</head>" in page:
                page = page.replace(b"</head>", self.extra + b"</head>", 1)
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            await send({**start, "headers": [*headers,
                                             (b"content-length", str(len(page)).encode())]})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, send_page)
