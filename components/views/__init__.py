"""One module per page view (what a page shows besides the map). Streamlit UI only."""
