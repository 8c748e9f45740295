"""Fixture app for tests/browser/test_offline_map.py: a folium map rendered by
st_folium with only vendored assets (no tiles, no CDN)."""
import folium
import folium.plugins
import streamlit as st
from streamlit_folium import st_folium

from components.map.offline import use_local_assets

use_local_assets()

st.set_page_config(page_title="Offline map", layout="wide")
st.title("Peta offline")

POLYGONS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"nama": "Wilayah Barat", "cakupan": "72%"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[106.0, -7.5], [108.0, -7.5], [108.0, -6.0], [106.0, -6.0], [106.0, -7.5]]],
            },
        },
        {
            "type": "Feature",
            "properties": {"nama": "Wilayah Timur", "cakupan": "88%"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[109.0, -7.5], [111.0, -7.5], [111.0, -6.0], [109.0, -6.0], [109.0, -7.5]]],
            },
        },
    ],
}

# tiles=None: no tile server offline. Without a tile layer Leaflet has no maxZoom,
# and MarkerCluster then throws "Map has no maxZoom specified": set it on the map.
m = folium.Map(location=[-7.0, 108.5], zoom_start=7, tiles=None, maxZoom=18)
folium.GeoJson(
    POLYGONS,
    name="Wilayah",
    style_function=lambda f: {"fillColor": "#2a9d8f", "color": "#1d3557", "weight": 2, "fillOpacity": 0.5},
    highlight_function=lambda f: {"weight": 4, "fillOpacity": 0.7},
    tooltip=folium.GeoJsonTooltip(fields=["nama", "cakupan"], aliases=["Wilayah", "Cakupan"]),
    popup=folium.GeoJsonPopup(fields=["nama"]),
).add_to(m)

# 50 markers south of the polygons, so they never cover them.
cluster = folium.plugins.MarkerCluster(name="Posyandu").add_to(m)
for i in range(50):
    folium.Marker(
        [-8.3 - (i % 5) * 0.05, 107.0 + (i // 5) * 0.3],
        tooltip=f"Posyandu {i + 1}",
    ).add_to(cluster)

# Icons that need the vendored images and fonts: Leaflet's default marker image,
# awesome-markers with a Font Awesome icon and with a Glyphicon (folium's default).
folium.Marker([-6.2, 108.5], tooltip="Default").add_to(m)
folium.Marker(
    [-6.8, 108.5], tooltip="Font Awesome", icon=folium.Icon(color="red", icon="house-medical", prefix="fa")
).add_to(m)
folium.Marker([-7.4, 108.5], tooltip="Glyphicon", icon=folium.Icon(color="green", icon="info-sign")).add_to(m)

m.fit_bounds([[-8.6, 105.8], [-5.8, 111.2]])

out = st_folium(
    m,
    key="peta",
    height=600,
    use_container_width=True,
    returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
)
# The tooltip's innerText (a table: tabs and newlines), flattened to one line.
clicked = (out or {}).get("last_object_clicked_tooltip")
st.text(f"Terakhir diklik: {' '.join((clicked or '-').split())}")
