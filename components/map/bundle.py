"""The map's scripts and styles in one file each, built once into ``static/``.

streamlit-folium loads a map's scripts one after another (each waits for the one before),
so Leaflet, the marker icon path, the gesture plugin, peta-map.js and peta-periods.js were
five round trips before the first region could be drawn. The dashboard's map loads one
script instead: their concatenation, in that order (issue 29), and one stylesheet (Leaflet's
and the gesture plugin's, their relative ``url(...)`` rewritten to the vendored folders).

* The files are written below ``static/vendor/_bundle/`` (git-ignored), named by the
  hash of their contents (``peta-map-<hash>.js``): a browser or the proxy may keep them for
  good, and a changed source gives a new name. They are built at the first map of a
  process (a few milliseconds: ~0.2 MB read and hashed) and written only when missing,
  through a temporary file and a rename, so processes starting together agree.
* Still offline: the parts are the vendored files (components.map.vendor), nothing else.
* When ``static/`` cannot be written (a read-only install), :func:`paths` returns None and
  the map loads the separate files as before.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import tempfile
from pathlib import Path, PurePosixPath

from components.map.vendor import (
    CDN_TO_LOCAL,
    GESTURE_CSS,
    GESTURE_JS,
    LEAFLET_ICON_PATH_JS,
    PETA_MAP_JS,
    PETA_PERIODS_JS,
    VENDOR_DIR,
)

log = logging.getLogger("peta")

BUNDLE_DIR = "_bundle"
LEAFLET_JS = CDN_TO_LOCAL["/npm/leaflet@1.9.3/dist/leaflet.js"]
LEAFLET_CSS = CDN_TO_LOCAL["/npm/leaflet@1.9.3/dist/leaflet.css"]
#: In load order: Leaflet first, then what needs ``L``.
JS_PARTS: tuple[str, ...] = (LEAFLET_JS, LEAFLET_ICON_PATH_JS, GESTURE_JS, PETA_MAP_JS,
                             PETA_PERIODS_JS)
CSS_PARTS: tuple[str, ...] = (LEAFLET_CSS, GESTURE_CSS)

_RELATIVE_URL = re.compile(r"""url\(\s*(['"]?)(?!data:|#|/|[a-z][a-z0-9+.-]*:)([^'")]+)\1\s*\)""",
                           re.IGNORECASE)


def _css_from(rel: str, text: str) -> str:
    """A stylesheet of ``static/vendor/<rel>`` with its relative URLs pointing there from
    the bundle folder (``url(images/x.png)`` → ``url(../leaflet-1.9.3/images/x.png)``)."""
    folder = PurePosixPath(rel).parent

    def moved(m: re.Match) -> str:
        return f"url({m.group(1)}../{folder / m.group(2)}{m.group(1)})"
    return _RELATIVE_URL.sub(moved, text)


def bundle_text(vendor_dir: Path = VENDOR_DIR) -> tuple[str, str]:
    """(script, stylesheet): the parts joined, each with a comment naming its file."""
    js = "".join(f"/* --- {rel} --- */\n{(vendor_dir / rel).read_text(encoding='utf-8')}\n;\n"
                 for rel in JS_PARTS)
    css = "".join(f"/* --- {rel} --- */\n"
                  f"{_css_from(rel, (vendor_dir / rel).read_text(encoding='utf-8'))}\n"
                  for rel in CSS_PARTS)
    return js, css


def _write_once(path: Path, text: str) -> None:
    if path.is_file():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.cache
def paths(vendor_dir: Path = VENDOR_DIR) -> tuple[str, str] | None:
    """(script, stylesheet) paths below ``static/vendor``, built when missing; None when
    they cannot be written (the map then loads the separate files)."""
    try:
        js, css = bundle_text(vendor_dir)
        key = hashlib.sha256((js + "\0" + css).encode("utf-8")).hexdigest()[:16]
        names = (f"{BUNDLE_DIR}/peta-map-{key}.js", f"{BUNDLE_DIR}/peta-map-{key}.css")
        _write_once(vendor_dir / names[0], js)
        _write_once(vendor_dir / names[1], css)
    except OSError as exc:
        log.warning("map bundle not written (%s); the map loads its files one by one", exc)
        return None
    return names
