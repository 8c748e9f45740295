"""The cache warm-up of a server process: started with the server (components.serve), it
builds what the first map views need, then steps aside while visitors are served
(components.shell wraps every script run in ``visitor_run``)."""
from __future__ import annotations

import logging
import sys
import threading
import time

from components import data
from components.map import offline
from components.map.files import SYMBOL_LEVELS, _counts, _points_files, _registry_key, geometry_url
from components.views import hazards as hazard_view
from geo.hazards.types import ALL

_LOG = logging.getLogger(__name__)

_warm = {"thread": None, "done": False, "seconds": None, "error": None, "steps": {}}
_warm_lock = threading.Lock()
# Script runs in progress and when the last one ended: once the first view's caches are
# built, the warm-up steps aside while visitors are being served (it would take half of
# the interpreter from them: one process, one GIL).
_visitors = {"active": 0, "last": 0.0}
_visitors_lock = threading.Lock()
QUIET_S = 3.0          # after a run ends the browser still loads the map and its files
MAX_STEP_ASIDE_S = 2.0  # per step, so a busy meeting still gets every file written


class visitor_run:
    """Context manager around a script run (components.shell.run)."""

    def __enter__(self):
        with _visitors_lock:
            _visitors["active"] += 1

    def __exit__(self, *exc):
        with _visitors_lock:
            _visitors["active"] -= 1
            _visitors["last"] = time.monotonic()
        return False


def _step_aside() -> None:
    """Wait (at most MAX_STEP_ASIDE_S) while a visitor's run is in progress or just ended."""
    deadline = time.monotonic() + MAX_STEP_ASIDE_S
    while time.monotonic() < deadline and (
            _visitors["active"] or time.monotonic() - _visitors["last"] < QUIET_S):
        time.sleep(0.05)


def import_page_modules(names=("geo.stats.classify", "folium", "folium.plugins")) -> None:
    """Import the libraries the map pages need (class breaks, folium), so a visitor's
    script run does not; later in the warm-up, those of other pages and of the exports
    (Altair for the trend chart, matplotlib for PNG/PDF). Not the components themselves:
    streamlit-folium registers its component only when imported inside a script run
    ("Component not found" otherwise)."""
    import importlib
    for name in names:
        importlib.import_module(name)


def warm_up() -> float:
    """Build what the first map views need: joined registry, indicator table, hazard
    classes, counts, display layers and their files, the pages' libraries, points files,
    the national hazard file. Returns seconds (and the time of each step in _warm)."""
    started = time.perf_counter()
    steps = _warm["steps"] = {}

    def mark(name: str) -> None:
        steps[name] = round(time.perf_counter() - started, 2)

    data.joined()
    mark("joined")
    data.long_table()
    mark("long_table")
    data._by_key()
    data.names()
    data.display_layer("provinsi", None)
    geometry_url("provinsi", "")
    data.hazard_zones()                     # the home page's notice names the hazard data
    for level in SYMBOL_LEVELS:
        for off in (False, True):
            _counts(data.data_version("posyandu", "batas"), level, off)
    mark("national_view")
    import_page_modules()       # after the national view's data (a first visitor imports
    offline.import_map_modules()  # what its page needs itself)
    mark("imports")
    # From here on, visitors first: each step waits while a script run is being served.
    provinces = data.display_layer("provinsi", None)["code"].tolist()
    for code in provinces:
        _step_aside()
        data.display_layer("kabupaten", code)
        geometry_url("kabupaten", code)
    mark("province_views")
    _step_aside()
    _points_files(_registry_key())
    mark("points_files")
    kab = data.display_layer("kabupaten", None)["code"].tolist()
    for code in kab:
        _step_aside()
        geometry_url("kecamatan", code)
    mark("kabupaten_views")
    _step_aside()
    hazard_view.map_config("", ALL)        # Risiko Bencana, national: the largest hazard file
    mark("hazards_national")
    _step_aside()
    import_page_modules(("altair", "geo.export.render"))
    mark("chart_and_export_imports")
    return time.perf_counter() - started


def _run() -> None:
    try:
        _warm["seconds"] = warm_up()
        steps = ", ".join(f"{k} {v} s" for k, v in _warm.get("steps", {}).items())
        print(f"Peta Posyandu: caches warm in {_warm['seconds']:.1f} s ({steps})",
              file=sys.stderr, flush=True)
    except Exception as exc:  # the app still works, only slower on first views
        _warm["error"] = repr(exc)
        _LOG.exception("Peta Posyandu: warm-up failed")
    finally:
        _warm["done"] = True


def start_warm_up() -> None:
    """Start the warm-up thread once per process (idempotent, returns at once)."""
    with _warm_lock:
        if _warm["thread"] is None:
            th = threading.Thread(target=_run, name="peta-warm-up", daemon=True)
            _warm["thread"] = th
            th.start()


def warm_status() -> dict:
    return {k: v for k, v in _warm.items() if k != "thread"}
