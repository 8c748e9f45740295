"""A click on "Buka wilayah ini" (the map's value, as streamlit-folium stores it under the
map's key) opens that region in the run the click causes, before the sidebar and the page
are drawn; a value that is not a region one may open (a village, an unknown or hostile
code, the region shown) changes nothing. The map stays mounted from view to view, so its
value stays too: a click is handled once (each carries its own mark)."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.helpers import headings, use_empty_workspace

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture()
def app(tmp_path, monkeypatch):
    use_empty_workspace(tmp_path, monkeypatch)
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=300)
    at.query_params["wilayah"] = "62"
    at.run()
    assert not at.exception, at.exception
    yield at
    st.cache_resource.clear()


MAP_KEY = "peta-id-0-0"      # language, projector, basemap (components.state.map_key)


def _click(at: AppTest, code: str, mark: str | None = None) -> AppTest:
    """What the map sends when "Buka wilayah ini" is clicked for ``code``."""
    _click.n = getattr(_click, "n", 0) + 1
    at.session_state[MAP_KEY] = {"last_active_drawing": {
        "type": "Feature", "properties": {"code": code, "click": mark or f"klik-{_click.n}"}}}
    return at.run()


def test_click_opens_the_regency(app):
    from geo.regions.boundaries import region_names
    name = str(region_names()["62.10"])
    at = _click(app, "62.10")
    assert not at.exception, at.exception
    assert at.session_state["region"] == "62.10"
    assert at.query_params["wilayah"] == "62.10"
    # the sidebar drawn in that run already follows the click
    kab = next(s for s in at.sidebar.selectbox if s.label == "Kabupaten/Kota")
    assert kab.value == "62.10"
    assert any(name in h for h in headings(at, 2)), headings(at, 2)


def test_a_click_is_handled_once(app):
    """Back at the province after a drill-down, the map still holds the click on 62.10:
    it must not open 62.10 again; a new click on it does."""
    at = _click(app, "62.10", mark="klik-a")
    assert at.session_state["region"] == "62.10"
    at.session_state["region"] = "62"      # the province chosen again in the sidebar
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["region"] == "62"
    at.run()
    assert at.session_state["region"] == "62"
    at = _click(at, "62.10", mark="klik-b")
    assert at.session_state["region"] == "62.10"


@pytest.mark.parametrize("value", ["62.10.01.2001", "99.99", "<script>x</script>", "62", ""])
def test_values_that_are_not_a_region_to_open_change_nothing(app, value):
    at = _click(app, value)
    assert not at.exception, at.exception
    assert at.session_state["region"] == "62"
    assert at.query_params["wilayah"] == "62"


def _escape(at: AppTest, code: str) -> AppTest:
    """What the map sends when Escape is pressed in it: the parent region, marked "up"."""
    _click.n = getattr(_click, "n", 0) + 1
    at.session_state[MAP_KEY] = {"last_active_drawing": {
        "type": "Feature", "properties": {"code": code, "up": 1, "click": f"esc-{_click.n}"}}}
    return at.run()


def test_escape_goes_up_to_the_province_then_indonesia(app):
    at = _click(app, "62.10")
    assert at.session_state["region"] == "62.10"
    at = _escape(at, "62")
    assert not at.exception, at.exception
    assert at.session_state["region"] == "62"
    at = _escape(at, "")
    assert not at.exception, at.exception
    assert at.session_state["region"] == ""
    assert "wilayah" not in at.query_params


def test_the_searchable_region_list_opens_a_region(app):
    """Beside the map: a searchable list of the map's regions (a phone's national map is
    too small to tap a province; a keyboard user may type a name); choosing one opens it."""
    from components.map.access import JUMP_KEY
    from geo.regions.boundaries import region_names
    jump = app.selectbox(key=JUMP_KEY)
    names = region_names()
    assert "62.03" in jump.options or names["62.03"] in jump.options
    at = jump.set_value("62.03").run()
    assert not at.exception, at.exception
    assert at.session_state["region"] == "62.03"
    assert at.query_params["wilayah"] == "62.03"
    assert at.selectbox(key=JUMP_KEY).value is None     # ready for the next search
