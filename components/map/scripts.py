"""What a map of the dashboard loads: Leaflet and the project's map scripts as one file (the
bundle, components.map.bundle), else — when the bundle could not be built — the separate
vendored files; the cluster plugin, which peta-map.js loads when a view first draws
points; and the Jinja templates branca renders with, compiled once (components.map.templates)."""
from __future__ import annotations

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from components.map import bundle
from components.map.offline import leaflet_only, use_local_assets
from components.map.templates import cache_branca_templates
from components.map.vendor import GESTURE_CSS, GESTURE_JS, PETA_MAP_JS, PETA_PERIODS_JS, local_url

use_local_assets()
cache_branca_templates()

CLUSTER = {"js": local_url("leaflet.markercluster-1.1.0/leaflet.markercluster.js"),
           "css": [local_url("leaflet.markercluster-1.1.0/MarkerCluster.css"),
                   local_url("leaflet.markercluster-1.1.0/MarkerCluster.Default.css")]}


class _Assets(JSCSSMixin, MacroElement):
    """The scripts and styles of the base map, loaded once, when the one-file bundle
    could not be built: peta-map.js and gesture handling."""
    _template = Template("")
    default_js = [("peta_map", local_url(PETA_MAP_JS)),
                  ("peta_periods", local_url(PETA_PERIODS_JS)),
                  ("leaflet_gesture_handling", local_url(GESTURE_JS))]
    default_css = [("leaflet_gesture_handling_css", local_url(GESTURE_CSS))]


def map_scripts(m: folium.Map) -> None:
    """Leaflet and the project's map scripts for ``m``: one script and one stylesheet (the
    bundle), else the separate files."""
    leaflet_only(m)
    bundled = bundle.paths()
    if bundled:
        m.default_js = [("leaflet", local_url(bundled[0]))]
        m.default_css = [("leaflet_css", local_url(bundled[1]))]
    else:
        m.add_child(_Assets())
