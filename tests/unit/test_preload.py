"""components.preload: Streamlit's page lists the code of a map page's elements as
modulepreload links (issue 29), found in the installed Streamlit by name."""
from __future__ import annotations

import re

import pytest

from components import preload
from tests.unit.test_long_links import _call

STATIC = preload.streamlit_static()
JS = STATIC / "static" / "js"
INDEX = (STATIC / "index.html").read_bytes()


def test_every_element_s_code_is_found_in_the_installed_streamlit():
    files = preload.chunk_files()
    for name in preload.ELEMENTS:     # a rename in a Streamlit upgrade fails here
        assert any(f.startswith(name + ".") for f in files), (name, files)
    listed = set(re.findall(rb'static/js/([\w.$-]+\.js)', INDEX))
    for f in files:
        assert (JS / f).is_file()
        assert f.encode() not in listed          # Streamlit's page lists those itself
    assert len(files) == len(set(files))


def test_what_the_element_code_imports_is_listed_too():
    files = set(preload.chunk_files())
    listed = {m.decode() for m in re.findall(rb'static/js/([\w.$-]+\.js)', INDEX)}
    for f in files:
        for imported in preload._imports(JS / f):
            assert imported in files or imported in listed, (f, imported)


def _serve(body: bytes, content_type: bytes, extra_headers=(), method="GET"):
    """PreloadLinks around an app answering ``body``; the response's start and body."""
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", content_type),
                                (b"content-length", str(len(body)).encode()), *extra_headers]})
        half = len(body) // 2                   # in two parts, as a streaming server may
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body[half:]})

    sent = _call(preload.PreloadLinks(app), {"type": "http", "method": method, "path": "/"})
    start = sent[0]
    return dict(start["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


def test_streamlit_s_page_gets_the_links_before_its_head_ends():
    headers, page = _serve(INDEX, b"text/html")
    assert int(headers[b"content-length"]) == len(page)
    head = page[:page.index(b"</head>")]
    for f in preload.chunk_files():
        assert f'<link rel="modulepreload" crossorigin href="./static/js/{f}">'.encode() in head
    assert page.replace(preload.links(preload.chunk_files()), b"") == INDEX


@pytest.mark.parametrize("body,content_type,extra,method", [
    # a component's own page (the map's iframe): its relative paths are its own
    (b"<html><head><script src='./static/js/main.js'></script></head></html>", b"text/html",
     (), "GET"),
    (b'{"a": 1}', b"application/json", (), "GET"),
    (b"\x1f\x8b compressed", b"text/html", ((b"content-encoding", b"gzip"),), "GET"),
    (INDEX, b"text/html", (), "HEAD"),
])
def test_every_other_response_passes_unchanged(body, content_type, extra, method):
    headers, page = _serve(body, content_type, extra, method)
    assert page == body
    assert int(headers[b"content-length"]) == len(body)
