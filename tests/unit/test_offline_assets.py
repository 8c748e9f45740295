"""Offline map assets: vendored files exist and folium maps reference only them."""
from __future__ import annotations

import json
import re
import warnings

import folium
import folium.plugins
import pytest

from components.map import bundle, offline
from components.map.bundle import BUNDLE_DIR
from components.map.offline import (
    OfflineAssetError,
    OfflineAssetWarning,
    external_links,
    use_local_assets,
)
from components.map.vendor import (
    CDN_TO_LOCAL,
    LEAFLET_ICON_PATH_JS,
    MAP_ASSETS,
    VENDOR_BASE,
    VENDOR_DIR,
    local_url,
)

VENDOR_MD = VENDOR_DIR / "VENDOR.md"
LICENSE_RE = re.compile(r"^(LICEN[CS]E|MIT-LICEN[CS]E)", re.IGNORECASE)
CSS_URL_RE = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")
FONT_FACE_RE = re.compile(r"@font-face\s*{([^}]*)}", re.IGNORECASE)
# Loaded by JavaScript rather than CSS: L.Icon.Default takes these names relative to
# the image path it derives from leaflet.css.
USED_BY_JS = {"leaflet-1.9.3/images/marker-icon-2x.png", "leaflet-1.9.3/images/marker-shadow.png"}


@pytest.fixture(autouse=True)
def local_assets():
    """Every test starts and ends with the local assets in place."""
    use_local_assets()
    yield
    use_local_assets()


def _vendored_files():
    """The files under static/vendor, without the map bundle built from them at run time
    (components.map.bundle, git-ignored)."""
    return sorted(p for p in VENDOR_DIR.rglob("*") if p.is_file() and p.name != "VENDOR.md"
                  and BUNDLE_DIR not in p.relative_to(VENDOR_DIR).parts)


def _vendored_css():
    return [p for p in _vendored_files() if p.suffix == ".css"]


def _sample_map() -> folium.Map:
    """A map with every kind of element the project uses."""
    m = folium.Map(location=[-2.5, 118.0], zoom_start=5, tiles=None)
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"nama": f"Wilayah {i}", "cakupan": 50 + i},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[110 + i, -7], [111 + i, -7], [111 + i, -6], [110 + i, -6], [110 + i, -7]]
                    ],
                },
            }
            for i in range(2)
        ],
    }
    groups = folium.FeatureGroup(name="Wilayah").add_to(m)
    folium.GeoJson(
        geojson,
        tooltip=folium.GeoJsonTooltip(fields=["nama", "cakupan"]),
        popup=folium.GeoJsonPopup(fields=["nama"]),
    ).add_to(groups)
    cluster = folium.plugins.MarkerCluster(name="Posyandu").add_to(m)
    for i in range(5):
        folium.Marker(
            [-6.5, 110.1 + i * 0.1],
            tooltip=folium.Tooltip(f"Posyandu {i}"),
            popup=folium.Popup(f"Posyandu {i}"),
            icon=folium.Icon(color="green", icon="info-sign", angle=10 * i),
        ).add_to(cluster)
    folium.plugins.FastMarkerCluster([[-6.6, 110.2], [-6.7, 110.3]]).add_to(m)
    folium.CircleMarker([-6.4, 110.4], radius=5).add_to(m)
    folium.plugins.HeatMap([[-6.5, 110.5, 1.0]]).add_to(m)
    folium.plugins.Fullscreen().add_to(m)
    folium.LayerControl().add_to(m)
    return m


def _all_links(m: folium.Map) -> list[str]:
    m.get_root().render()
    links = []
    for element in offline._walk(m):
        for attr in ("default_js", "default_css"):
            links.extend(url for _, url in getattr(element, attr, None) or [])
    return sorted(set(links))


# --- the vendored files ------------------------------------------------------------


def test_every_mapped_local_file_exists():
    wanted = [*CDN_TO_LOCAL.values(), LEAFLET_ICON_PATH_JS, *MAP_ASSETS]
    missing = [rel for rel in wanted if not (VENDOR_DIR / rel).is_file()]
    assert missing == []


def test_every_vendored_package_has_its_license():
    # "_project" holds the project's own shim, everything else is third-party.
    folders = sorted(p for p in VENDOR_DIR.iterdir()
                     if p.is_dir() and p.name not in ("_project", BUNDLE_DIR))
    assert folders, "static/vendor is empty"
    for folder in folders:
        assert re.search(r"-\d+\.\d+\.\d+$", folder.name), f"{folder.name}: no version in name"
        assert any(LICENSE_RE.match(p.name) for p in folder.iterdir()), f"{folder.name}: no LICENSE"


def test_every_vendored_file_is_listed_in_vendor_md():
    text = VENDOR_MD.read_text(encoding="utf-8")
    for path in _vendored_files():
        rel = path.relative_to(VENDOR_DIR).as_posix()
        assert f"`{rel}`" in text, f"{rel} is not listed in VENDOR.md"


def test_every_vendored_file_is_used():
    """No dead weight: each file is mapped, a licence, or referenced by a vendored CSS."""
    used = {
        (VENDOR_DIR / rel).resolve()
        for rel in [*CDN_TO_LOCAL.values(), *USED_BY_JS, LEAFLET_ICON_PATH_JS, *MAP_ASSETS]
    }
    for css in _vendored_css():
        for ref in CSS_URL_RE.findall(css.read_text(encoding="utf-8")):
            used.add((css.parent / ref.split("?")[0].split("#")[0]).resolve())
    unused = [
        p.relative_to(VENDOR_DIR).as_posix()
        for p in _vendored_files()
        if p.resolve() not in used and not LICENSE_RE.match(p.name)
    ]
    assert unused == []


def test_css_references_resolve():
    """Images/fonts referenced by the vendored CSS exist (for @font-face: the first
    source, the woff2 that browsers pick; later fallbacks are not vendored)."""
    problems = []
    for css in _vendored_css():
        text = css.read_text(encoding="utf-8")
        for block in FONT_FACE_RE.findall(text):
            refs = CSS_URL_RE.findall(block)
            if refs and not (css.parent / refs[0].split("?")[0]).is_file():
                problems.append(f"{css.name}: {refs[0]}")
        for ref in CSS_URL_RE.findall(FONT_FACE_RE.sub("", text)):
            if ref.startswith(("data:", "#")):
                continue
            if not (css.parent / ref.split("?")[0].split("#")[0]).is_file():
                problems.append(f"{css.name}: {ref}")
    assert problems == []


def test_vendored_files_are_small():
    total = sum(p.stat().st_size for p in _vendored_files())
    assert total < 3 * 1024 * 1024, f"static/vendor is {total} bytes"


# --- folium uses them ----------------------------------------------------------------


def test_map_has_no_external_links():
    assert external_links(_sample_map()) == []


def test_links_are_vendor_paths_of_existing_files():
    """Referenced by path only (no scheme, no host), below VENDOR_BASE, file on disk."""
    links = _all_links(_sample_map())
    assert links
    for url in links:
        assert url.startswith(VENDOR_BASE + "/"), url
        assert "//" not in url and ".." not in url, url
        assert (VENDOR_DIR / url[len(VENDOR_BASE) + 1 :]).is_file(), url


def test_map_loads_icon_path_script_right_after_leaflet():
    names = [name for name, _ in folium.Map.default_js]
    assert names[:2] == ["leaflet", "leaflet_default_icon_path"]
    assert names.count("leaflet_default_icon_path") == 1
    assert folium.Map.default_js[1][1] == f"{VENDOR_BASE}/{LEAFLET_ICON_PATH_JS}"


def test_use_local_assets_is_idempotent():
    before = {cls: list(cls.default_js) + list(cls.default_css) for cls in (folium.Map, folium.plugins.MarkerCluster)}
    use_local_assets()
    use_local_assets()
    after = {cls: list(cls.default_js) + list(cls.default_css) for cls in (folium.Map, folium.plugins.MarkerCluster)}
    assert before == after


def test_other_base_and_back():
    use_local_assets("/prefix/app/static/vendor")
    assert folium.Map.default_js[0][1] == "/prefix/app/static/vendor/leaflet-1.9.3/leaflet.js"
    use_local_assets()
    assert folium.Map.default_js[0][1] == f"{VENDOR_BASE}/leaflet-1.9.3/leaflet.js"


def test_external_links_detects_cdn_links():
    offline.restore_cdn_assets()
    try:
        found = external_links(_sample_map())
    finally:
        use_local_assets()
    assert any(url.endswith("/npm/leaflet@1.9.3/dist/leaflet.js") and offline.is_external(url)
               for url in found)
    assert any("markercluster" in url for url in found)


def test_unvendored_plugin_is_left_and_reported():
    m = folium.Map(tiles=None)
    folium.plugins.Draw().add_to(m)
    assert any("leaflet.draw" in url for url in external_links(m))
    assert "folium.plugins.draw.Draw" in offline.unmapped_external_links()


def test_required_class_with_unmapped_url_raises(monkeypatch):
    monkeypatch.setattr(
        folium.plugins.Fullscreen,
        "default_js",
        [("Control.Fullscreen.js", "https://cdn.example.org/fullscreen@9/fs.js")],
    )
    with pytest.raises(OfflineAssetError, match=r"Fullscreen.*cdn\.example\.org"):
        use_local_assets()


# --- what st_folium sends to the browser (AppTest) ----------------------------------

APP = """
import folium
import folium.plugins
import streamlit as st
from streamlit_folium import st_folium

from components.map.offline import use_local_assets

use_local_assets()
m = folium.Map(location=[-2.5, 118.0], zoom_start=5, tiles=None)
folium.GeoJson(
    {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nama": "A"},
         "geometry": {"type": "Polygon",
                      "coordinates": [[[110, -7], [111, -7], [111, -6], [110, -7]]]}}]},
    tooltip=folium.GeoJsonTooltip(fields=["nama"]),
).add_to(m)
cluster = folium.plugins.MarkerCluster().add_to(m)
folium.Marker([-6.5, 110.5]).add_to(cluster)
folium.plugins.FastMarkerCluster([[-6.6, 110.2]]).add_to(m)
st_folium(m, height=400, returned_objects=["last_object_clicked"])
"""


def test_st_folium_component_gets_local_links_only():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    components = at.get("component_instance")
    assert len(components) == 1
    args = json.loads(components[0].proto.json_args)
    links = args["js_links"] + args["css_links"]
    assert any(url.endswith("/leaflet.js") for url in args["js_links"])
    assert any(url.endswith("/leaflet.markercluster.js") for url in args["js_links"])
    assert [url for url in links if offline.is_external(url)] == []
    assert all(url.startswith(VENDOR_BASE + "/") for url in links)


def test_st_folium_links_for_colormap_warn_or_raise():
    """st_folium adds d3 from a CDN for a branca ColorMap: not vendored, so flagged."""
    # Same paths as st_folium's links; the host does not matter to the mapping.
    d3 = [f"https://cdn.example{path}" for path in offline._COLORMAP_D3_PATHS]
    with pytest.warns(OfflineAssetWarning, match="legend in Streamlit"):
        result = offline._localize_links(d3 + ["https://cdn.example/jquery-3.7.1.min.js"], "js_links")
    assert result[-1] == f"{VENDOR_BASE}/jquery-3.7.1/jquery.min.js"
    use_local_assets(strict=True)
    with pytest.raises(OfflineAssetError):
        offline._localize_links(d3, "js_links")
    use_local_assets()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        offline._localize_links([f"{VENDOR_BASE}/leaflet-1.9.3/leaflet.js"], "js_links")


def test_dashboard_map_loads_only_local_assets():
    """The dashboard's map (choropleth layer, gesture plugin, clusters) links only files
    served by the app, and each exists."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    from components.map.view import Choropleth, build_map
    from geo.indicators import registry as indicators
    from geo.stats import classify

    layer = gpd.GeoDataFrame({"code": ["62.01"], "name": ["A"]},
                             geometry=[shapely.box(110, -2, 111, -1)], crs="EPSG:4326")
    ind = indicators.get("posyandu")
    vals = pd.DataFrame({"code": ["62.01"], "value": [3.0], "unstable": [False]})
    cls = classify.classify(vals["value"], ind)
    m = build_map(Choropleth(layer=layer, values=vals, indicator=ind, classification=cls,
                             colors=classify.colors_for(ind, len(cls.labels_id))),
                  geometry_url="/app/static/geo/x.json",
                  points_urls=["/app/static/geo/p.json"]).whole()
    assert offline.external_links(m) == []
    links = [u for el in offline._walk(m) for attr in ("default_js", "default_css")
             for _, u in getattr(el, attr, None) or []]
    # one script and one stylesheet: the bundle of Leaflet and the project's map files
    js, css = bundle.paths()
    assert sorted(links) == sorted([local_url(js), local_url(css)]), links
    text = (VENDOR_DIR / js).read_text(encoding="utf-8") + (VENDOR_DIR / css).read_text(
        encoding="utf-8")
    for rel in MAP_ASSETS:
        assert f"/* --- {rel} --- */" in text, rel
    # the cluster plugin, loaded by peta-map.js when a view first draws points
    from components.map.scripts import CLUSTER
    links += [CLUSTER["js"], *CLUSTER["css"]]
    for url in links:
        assert (VENDOR_DIR / url.removeprefix(VENDOR_BASE + "/")).is_file(), url
