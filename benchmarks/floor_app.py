"""The floor of the load benchmark (benchmarks.load.run): a Streamlit app of two pages
("/" and "/dua"), each a map of 4 polygons drawn with folium + st_folium and the vendored
assets, like the dashboard's maps (Leaflet only, no jQuery/Bootstrap/Font Awesome) but
with nothing to compute. The second page is what a visitor's next view (a click on a page
link in the sidebar) is compared with. Run by benchmarks.load on its own port."""
import folium
import streamlit as st
from streamlit_folium import st_folium

from components.map.offline import leaflet_only, use_local_assets

use_local_assets()
st.set_page_config(page_title="Floor", layout="wide")


def _square(x: float, y: float, name: str) -> dict:
    return {"type": "Feature", "properties": {"name": name},
            "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + 2, y], [x + 2, y + 2],
                                                             [x, y + 2], [x, y]]]}}


def _page(which: str):
    def run() -> None:
        st.title(f"Floor {which}: 4 polygons")
        m = folium.Map(tiles=None, maxZoom=18)
        folium.GeoJson({"type": "FeatureCollection",
                        "features": [_square(100 + 3 * i, -6, f"W{i}") for i in range(4)]},
                       tooltip=folium.GeoJsonTooltip(fields=["name"])).add_to(m)
        m.fit_bounds([[-6, 100], [-4, 111]])
        leaflet_only(m)
        st_folium(m, key=f"floor-{which}", height=620, use_container_width=True,
                  returned_objects=["last_active_drawing"])
    return run


st.navigation([st.Page(_page("satu"), title="Satu", url_path="satu", default=True),
               st.Page(_page("dua"), title="Dua", url_path="dua")], position="sidebar").run()
