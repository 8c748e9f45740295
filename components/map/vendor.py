"""The vendored map assets: which files under ``static/vendor/`` replace which CDN links
(``CDN_TO_LOCAL``), the project's own map scripts, the folium classes that must load
local files only, the URL each file is served at, and the check that every file is there.

components.map.offline uses this table to rewrite folium/branca/streamlit-folium; add a row
here (and the file plus a row in static/vendor/VENDOR.md) to vendor more.
"""
from __future__ import annotations

from pathlib import Path

#: URL path under which Streamlit serves ``static/vendor`` (``/app/static/`` + folder).
VENDOR_BASE = "/app/static/vendor"

#: The vendored files on disk.
VENDOR_DIR = Path(__file__).resolve().parents[2] / "static" / "vendor"

_LEAFLET = "leaflet-1.9.3"
_JQUERY = "jquery-3.7.1/jquery.min.js"
_CLUSTER = "leaflet.markercluster-1.1.0"
_AWESOME = "leaflet.awesome-markers-2.0.2"
_FULLSCREEN = "leaflet.fullscreen-3.0.0"

#: Path of a CDN URL (as folium/branca/streamlit-folium write it, without scheme and host,
#: so no CDN host name appears in the project) -> file below VENDOR_DIR.
#: Add a row here (and the file plus a row in static/vendor/VENDOR.md) to vendor more.
CDN_TO_LOCAL: dict[str, str] = {
    # folium.Map (loaded for every map)
    "/npm/leaflet@1.9.3/dist/leaflet.js": f"{_LEAFLET}/leaflet.js",
    "/npm/leaflet@1.9.3/dist/leaflet.css": f"{_LEAFLET}/leaflet.css",
    "/jquery-3.7.1.min.js": _JQUERY,
    "/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": (
        "bootstrap-5.2.2/bootstrap.bundle.min.js"
    ),
    "/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": (
        "bootstrap-5.2.2/bootstrap.min.css"
    ),
    "/bootstrap/3.0.0/css/bootstrap-glyphicons.css": (
        "bootstrap-3.4.1/css/bootstrap-glyphicons.css"
    ),
    "/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": (
        "fontawesome-free-6.2.0/css/all.min.css"
    ),
    "/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": (
        f"{_AWESOME}/leaflet.awesome-markers.js"
    ),
    "/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": (
        f"{_AWESOME}/leaflet.awesome-markers.css"
    ),
    "/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css": (
        "folium-0.20.0/leaflet.awesome.rotate.css"
    ),
    # folium.plugins.MarkerCluster / FastMarkerCluster
    "/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js": (
        f"{_CLUSTER}/leaflet.markercluster.js"
    ),
    "/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css": (
        f"{_CLUSTER}/MarkerCluster.css"
    ),
    "/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": (
        f"{_CLUSTER}/MarkerCluster.Default.css"
    ),
    # folium.plugins.HeatMap (the file ships inside the folium wheel)
    "/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js": (
        "folium-0.20.0/leaflet_heat.min.js"
    ),
    # folium.plugins.Fullscreen (the npm package has no .min.js; same code unminified)
    "/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": (
        f"{_FULLSCREEN}/Control.FullScreen.js"
    ),
    "/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css": (
        f"{_FULLSCREEN}/Control.FullScreen.css"
    ),
    # The same jQuery, as other plugins spell it (TimestampedGeoJson, ...).
    "/ajax/libs/jquery/3.7.1/jquery.min.js": _JQUERY,
}

#: Project-written script (not vendored) that use_local_assets() loads right after
#: leaflet.js for every folium.Map: it sets L.Icon.Default.imagePath, which Leaflet
#: otherwise derives from leaflet.css -- racy under streamlit-folium, which does not
#: wait for the CSS before running the map script (default markers then 404).
LEAFLET_ICON_PATH_JS = "_project/leaflet-icon-path.js"

#: Files the project's map layer loads itself (components.map.scripts, not a
#: folium class): its own script, and the gesture plugin (one finger scrolls the page,
#: two fingers move the map).
PETA_MAP_JS = "_project/peta-map.js"
PETA_PERIODS_JS = "_project/peta-periods.js"   # split view and timeline (issue 26)
GESTURE_JS = "leaflet-gesture-handling-1.2.2/leaflet-gesture-handling.min.js"
GESTURE_CSS = "leaflet-gesture-handling-1.2.2/leaflet-gesture-handling.min.css"
MAP_ASSETS: tuple[str, ...] = (PETA_MAP_JS, PETA_PERIODS_JS, GESTURE_JS, GESTURE_CSS)
#: Classes the project uses: each must end up with local links only.
REQUIRED_CLASS_NAMES: tuple[str, ...] = (
    "folium.Map",
    "folium.GeoJson",
    "folium.GeoJsonTooltip",
    "folium.GeoJsonPopup",
    "folium.FeatureGroup",
    "folium.LayerControl",
    "folium.Marker",
    "folium.CircleMarker",
    "folium.Popup",
    "folium.Tooltip",
    "folium.plugins.MarkerCluster",
    "folium.plugins.FastMarkerCluster",
    "folium.plugins.HeatMap",
    "folium.plugins.Fullscreen",
)


class OfflineAssetError(RuntimeError):
    """A folium asset has no vendored copy, or a vendored file is missing."""


def local_url(relative_path: str, base: str = VENDOR_BASE) -> str:
    """URL at which Streamlit serves ``static/vendor/<relative_path>``."""
    return f"{base.rstrip('/')}/{relative_path.lstrip('/')}"


def check_vendored_files() -> None:
    """Raise OfflineAssetError when a file the table names is missing from VENDOR_DIR."""
    wanted = {*CDN_TO_LOCAL.values(), LEAFLET_ICON_PATH_JS, *MAP_ASSETS}
    missing = sorted(rel for rel in wanted if not (VENDOR_DIR / rel).is_file())
    if missing:
        raise OfflineAssetError(
            "Vendored map assets are missing from "
            f"{VENDOR_DIR}: {', '.join(missing)}. See static/vendor/VENDOR.md."
        )
