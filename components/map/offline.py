"""Serve folium's JavaScript/CSS from the app itself, so maps render with no internet.

folium, branca and the folium plugins declare the browser libraries they need as
class-level ``default_js`` / ``default_css`` lists of ``(name, url)`` pairs that point
at public CDNs. streamlit-folium's ``st_folium`` reads those lists from every element
of the map and loads the URLs one after another inside the component iframe; the
first one that fails aborts the rest, so offline a single CDN link means a blank map.

:func:`use_local_assets` rewrites those URLs, for every folium/branca class that
declares them, to copies vendored under ``static/vendor/`` (see
``static/vendor/VENDOR.md``) and served by Streamlit's static file serving
(``[server] enableStaticServing = true``) at ``/app/static/vendor/...``.

* The mapping is the explicit table :data:`CDN_TO_LOCAL` (CDN URL -> file below
  ``static/vendor``); it, the project's own map scripts and :data:`REQUIRED_CLASS_NAMES`
  are in components.map.vendor.
* ``folium.Map`` also gets a small project script after leaflet.js that sets Leaflet's
  default marker image path (see :data:`LEAFLET_ICON_PATH_JS`).
* Classes are found by walking all modules of folium and branca plus every subclass of
  ``branca.element.Element`` known at call time, so classes added by a new folium
  release (or by this project) are not missed.
* An external URL without a vendored copy in one of :data:`REQUIRED_CLASS_NAMES`
  (the classes this project uses) raises :class:`OfflineAssetError`. Other plugin
  classes (Draw, MiniMap, Geocoder, TimestampedGeoJson, ...) get what is vendored
  (e.g. jQuery) and keep their other CDN links: they would not work offline; vendor
  their files before using them. :func:`unmapped_external_links` lists them.
* ``st_folium`` also adds links of its own: for a ``branca.colormap.ColorMap`` on the
  map it prepends two d3 URLs that no class attribute controls. ``use_local_assets``
  wraps ``streamlit_folium._component_func`` so that every ``js_links``/``css_links``
  entry goes through the same table; links with no vendored copy (d3 is not vendored:
  the project draws legends in Streamlit, never as a branca colormap on the map) are
  passed on unchanged with an :class:`OfflineAssetWarning`, or raise with
  ``use_local_assets(strict=True)``.

Maps must also be created with ``tiles=None`` (tiles are fetched from tile servers),
and then need an explicit ``maxZoom`` (normally taken from the tile layer):
``folium.Map(..., tiles=None, maxZoom=18)``; without it MarkerCluster throws
"Map has no maxZoom specified" in the browser and the map stays empty (the st_folium
iframe keeps height 0).

Usage (call before building maps; it is cheap and idempotent, so call it on every run)::

    from components.map.offline import use_local_assets
    use_local_assets()
    m = folium.Map(location=[-2.5, 118], zoom_start=5, tiles=None, maxZoom=18)
"""
from __future__ import annotations

import importlib
import logging
import pkgutil
import re
import threading
import warnings
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from components.map.vendor import (
    CDN_TO_LOCAL,
    LEAFLET_ICON_PATH_JS,
    REQUIRED_CLASS_NAMES,
    VENDOR_BASE,
    OfflineAssetError,
    check_vendored_files,
    local_url,
)

__all__ = [
    "OfflineAssetError",
    "OfflineAssetWarning",
    "external_links",
    "is_external",
    "restore_cdn_assets",
    "unmapped_external_links",
    "use_local_assets",
]

_LOG = logging.getLogger(__name__)

_ICON_PATH_NAME = "leaflet_default_icon_path"

#: Paths of the d3 links that st_folium adds itself for a branca ColorMap on the map
#: (not vendored: the project draws legends in Streamlit).
_COLORMAP_D3_PATHS = ("/d3.v4.min.js", "/ajax/libs/d3/3.5.5/d3.min.js")
_COLORMAP_NOTE = "d3 (streamlit-folium loads it from a CDN for a branca ColorMap)"


def _is_colormap_d3(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) and parts.path in _COLORMAP_D3_PATHS

_ASSET_ATTRS = ("default_js", "default_css")
_SCAN_PACKAGES = ("branca", "folium")
_EXTERNAL_RE = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:)?//", re.IGNORECASE)


class OfflineAssetWarning(UserWarning):
    """An asset will still be loaded from the internet (it has no vendored copy)."""


class _State:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.base: str | None = None  # base the class lists currently point at
        self.strict = False
        self.modules_imported = False
        # (class, attr) -> the list as first seen, for restore_cdn_assets()
        self.originals: dict[tuple[type, str], list[tuple[str, str]]] = {}
        # "module.Class" -> external URLs left in place
        self.unmapped: dict[str, list[str]] = {}


_STATE = _State()


def is_external(url: str) -> bool:
    """True for ``http(s)://...`` and protocol-relative ``//...`` URLs."""
    return bool(_EXTERNAL_RE.match(url.strip()))


def _default_base() -> str:
    """VENDOR_BASE, below ``server.baseUrlPath`` when the app is served under a prefix."""
    try:
        from streamlit import config

        prefix = (config.get_option("server.baseUrlPath") or "").strip("/")
    except Exception:  # streamlit missing or config not readable: plain default
        prefix = ""
    return f"/{prefix}{VENDOR_BASE}" if prefix else VENDOR_BASE


def _localize(url: str, base: str) -> str:
    """The local URL for ``url`` when vendored; ``url`` itself otherwise.

    A URL already pointing below a previous base (after a base change) is moved to
    ``base``, so calling ``use_local_assets`` again is safe.
    """
    parts = urlsplit(url.strip())
    rel = CDN_TO_LOCAL.get(parts.path) if parts.netloc else None
    if rel is not None:
        return local_url(rel, base)
    old = _STATE.base
    if old and old != base and url.startswith(old.rstrip("/") + "/"):
        return local_url(url[len(old.rstrip("/")) + 1 :], base)
    return url


def import_map_modules() -> None:
    """Import every module of folium and branca once (what use_local_assets scans, ~0.3 s),
    e.g. in the warm-up thread before the first visitor; rewrites nothing."""
    with _STATE.lock:
        _import_all_modules()


def _import_all_modules() -> None:
    """Import every module of folium and branca (plugins included) once."""
    if _STATE.modules_imported:
        return
    for package_name in _SCAN_PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            try:
                importlib.import_module(info.name)
            except Exception as exc:  # optional dependency missing, etc.
                _LOG.debug("offline assets: cannot import %s: %s", info.name, exc)
    _STATE.modules_imported = True


def _asset_classes() -> Iterator[type]:
    """Every branca Element subclass that declares default_js/default_css itself."""
    import sys

    from branca.element import Element

    _import_all_modules()
    candidates: list[type] = []
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".")[0] not in _SCAN_PACKAGES:
            continue
        candidates.extend(v for v in vars(module).values() if isinstance(v, type))
    stack: list[type] = [Element]  # also catches subclasses defined anywhere else
    while stack:
        cls = stack.pop()
        candidates.append(cls)
        stack.extend(cls.__subclasses__())
    seen: set[type] = set()
    for cls in candidates:
        if cls in seen:
            continue
        seen.add(cls)
        if not (isinstance(cls, type) and issubclass(cls, Element)):
            continue
        if any(attr in cls.__dict__ for attr in _ASSET_ATTRS):
            yield cls


def _qualname(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _resolve(dotted: str) -> type:
    module_name, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


#: The only folium defaults a map of this dashboard uses (folium also loads jQuery,
#: Bootstrap, Font Awesome and awesome-markers by default: ~0.5 MB for the browser to
#: parse in every map iframe, used by none of these maps).
LEAN_JS = ("leaflet", "leaflet_default_icon_path")
LEAN_CSS = ("leaflet_css",)


def leaflet_only(m) -> None:
    """Drop the folium defaults no map here uses from the map ``m`` (a folium.Map)."""
    m.default_js = [(n, u) for n, u in m.default_js if n in LEAN_JS]
    m.default_css = [(n, u) for n, u in m.default_css if n in LEAN_CSS]


def use_local_assets(base: str | None = None, *, strict: bool = False) -> None:
    """Point folium/branca/streamlit-folium at the vendored assets. Idempotent.

    Parameters
    ----------
    base:
        URL path of ``static/vendor``. Default :data:`VENDOR_BASE`, prefixed with
        Streamlit's ``server.baseUrlPath`` when one is configured.
    strict:
        When True, ``st_folium`` raises :class:`OfflineAssetError` instead of warning
        when a map would still load something from the internet (e.g. the d3 that
        streamlit-folium adds for a branca colormap, or an unvendored plugin).

    Raises
    ------
    OfflineAssetError
        If a vendored file is missing, or a class in :data:`REQUIRED_CLASS_NAMES` still
        has an external URL (a new folium version changed a URL: vendor it and add it
        to :data:`CDN_TO_LOCAL`).
    """
    base = base or _default_base()
    with _STATE.lock:
        check_vendored_files()
        unmapped: dict[str, list[str]] = {}
        for cls in _asset_classes():
            for attr in _ASSET_ATTRS:
                if attr not in cls.__dict__:
                    continue
                current = list(cls.__dict__[attr] or [])
                _STATE.originals.setdefault((cls, attr), list(current))
                rewritten = [(name, _localize(url, base)) for name, url in current]
                # A new list object: folium's add_js_link mutates these lists in place.
                setattr(cls, attr, rewritten)
                for _, url in rewritten:
                    if is_external(url):
                        unmapped.setdefault(_qualname(cls), []).append(url)
        _add_icon_path_script(base)
        _STATE.base = base
        _STATE.strict = strict
        _STATE.unmapped = unmapped
        _patch_streamlit_folium()

        problems = []
        for dotted in REQUIRED_CLASS_NAMES:
            cls = _resolve(dotted)
            for attr in _ASSET_ATTRS:
                for name, url in getattr(cls, attr, None) or []:
                    if is_external(url):
                        problems.append(f"{dotted}.{attr} {name!r}: {url}")
        if problems:
            raise OfflineAssetError(
                "These map assets have no vendored copy, so maps would not render "
                "offline:\n  " + "\n  ".join(problems) + "\nDownload each file with "
                "`npm pack <package>@<version>`, put it under static/vendor/"
                "<package>-<version>/, and add it to components.map.vendor.CDN_TO_LOCAL "
                "and static/vendor/VENDOR.md."
            )


def _add_icon_path_script(base: str) -> None:
    """Put LEAFLET_ICON_PATH_JS into folium.Map.default_js right after Leaflet."""
    import folium

    entries = [(n, u) for n, u in folium.Map.default_js if n != _ICON_PATH_NAME]
    position = next((i + 1 for i, (n, _) in enumerate(entries) if n == "leaflet"), 1)
    entries.insert(position, (_ICON_PATH_NAME, local_url(LEAFLET_ICON_PATH_JS, base)))
    folium.Map.default_js = entries


def unmapped_external_links() -> dict[str, list[str]]:
    """Classes (``module.Class``) whose CDN links were left in place by the last
    :func:`use_local_assets` call (plugins the project does not use), with the URLs."""
    with _STATE.lock:
        return {k: list(v) for k, v in _STATE.unmapped.items()}


def restore_cdn_assets() -> None:
    """Undo :func:`use_local_assets` (put folium's CDN links back). For tests."""
    with _STATE.lock:
        for (cls, attr), original in _STATE.originals.items():
            setattr(cls, attr, list(original))
        _STATE.originals.clear()
        _STATE.unmapped.clear()
        _STATE.base = None
        _STATE.strict = False
        try:
            import streamlit_folium
        except ImportError:
            return
        original = getattr(streamlit_folium._component_func, "_peta_original", None)
        if original is not None:
            streamlit_folium._component_func = original


def _localize_links(links: Iterable[str], what: str) -> list[str]:
    base = _STATE.base or _default_base()
    result = list(dict.fromkeys(_localize(url, base) for url in links))
    remaining = [url for url in result if is_external(url)]
    if remaining:
        hint = ""
        if any(_is_colormap_d3(url) for url in remaining):
            hint = (
                " (streamlit-folium adds d3 for a branca ColorMap on the map: draw the "
                "legend in Streamlit instead)"
            )
        message = (
            f"st_folium {what} still load from the internet, the map will not render "
            f"offline{hint}: {', '.join(remaining)}"
        )
        if _STATE.strict:
            raise OfflineAssetError(message)
        warnings.warn(message, OfflineAssetWarning, stacklevel=3)
        _LOG.warning(message)
    return result


def _patch_streamlit_folium() -> None:
    """Route st_folium's js_links/css_links through CDN_TO_LOCAL (once)."""
    try:
        import streamlit_folium
    except ImportError:  # maps are not rendered with streamlit-folium here
        return
    current = streamlit_folium._component_func
    if getattr(current, "_peta_original", None) is not None:
        return

    def component_func(*args: Any, **kwargs: Any) -> Any:
        for key in ("js_links", "css_links"):
            if kwargs.get(key):
                kwargs[key] = _localize_links(kwargs[key], key)
        return current(*args, **kwargs)

    component_func._peta_original = current  # type: ignore[attr-defined]
    streamlit_folium._component_func = component_func


def _walk(element: Any) -> Iterator[Any]:
    yield element
    for attr in ("m1", "m2"):  # folium.plugins.DualMap
        child = getattr(element, attr, None)
        if child is not None and hasattr(child, "_children"):
            yield from _walk(child)
    for child in list(getattr(element, "_children", {}).values()):
        yield from _walk(child)


def external_links(folium_map: Any) -> list[str]:
    """JS/CSS links of a folium map that are not local (sorted, unique).

    Renders the map's figure, then collects what a browser would load: the
    ``default_js``/``default_css`` of every element (what ``st_folium`` sends), the
    d3 links ``st_folium`` adds for a branca ColorMap, and every ``<script src>`` /
    ``<link href>`` element of the figure's header (what standalone HTML loads).
    Meant for tests: ``assert external_links(m) == []``.
    """
    from branca.colormap import ColorMap
    from branca.element import CssLink, JavascriptLink

    root = folium_map.get_root()
    root.render()
    links: list[str] = []
    for element in _walk(folium_map):
        if isinstance(element, ColorMap):
            links.append(_COLORMAP_NOTE)
        for attr in _ASSET_ATTRS:
            links.extend(url for _, url in getattr(element, attr, None) or [])
    header = getattr(root, "header", None)
    if header is not None:
        for child in _walk(header):
            if isinstance(child, (JavascriptLink, CssLink)):
                links.append(child.url)
    return sorted({url for url in links if is_external(url)})
