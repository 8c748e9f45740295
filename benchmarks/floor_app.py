"""The floor of the load benchmark (components.bench_load): a Streamlit page whose map
has 4 polygons, drawn with folium + st_folium and the vendored assets, like the
dashboard's maps (Leaflet only, no jQuery/Bootstrap/Font Awesome) but with nothing to
compute. Run by bench_load on its own port."""
import folium
import streamlit as st
from streamlit_folium import st_folium

from components.offline import leaflet_only, use_local_assets

use_local_assets()
st.set_page_config(page_title="Floor", layout="wide")
st.title("Floor: 4 polygons")


def _square(x: float, y: float, name: str) -> dict:
    return {"type": "Feature", "properties": {"name": name},
            "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + 2, y], [x + 2, y + 2],
                                                             [x, y + 2], [x, y]]]}}


m = folium.Map(tiles=None, maxZoom=18)
folium.GeoJson({"type": "FeatureCollection",
                "features": [_square(100 + 3 * i, -6, f"W{i}") for i in range(4)]},
               tooltip=folium.GeoJsonTooltip(fields=["name"])).add_to(m)
m.fit_bounds([[-6, 100], [-4, 111]])
leaflet_only(m)
st_folium(m, key="floor", height=620, use_container_width=True,
          returned_objects=["last_active_drawing"])
