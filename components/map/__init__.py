"""The map on every page: the frame mounted once (frame), the view sent per rerun (view), the
static data files it reads (files), legend, breadcrumb, choropleth section and the vendored
offline assets (offline, vendor). Streamlit/folium UI only."""
