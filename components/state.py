"""The view state (region, indicator, survey, language, projector…) kept in the URL.

A copied link opens the same page (URL path, from st.navigation), region, indicator and
survey. Widgets keep their values in ``st.session_state``; on every run the URL's query
parameters are compared with what this session last wrote there: a parameter that differs
was changed from outside (a pasted link, a click on the map) and wins; otherwise the widget
value wins and is written back to the URL.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

# URL parameter → (session-state key, default)
PARAMS: dict[str, tuple[str, str]] = {
    "wilayah": ("region", ""),
    "indikator": ("indicator", ""),
    "survei": ("period", ""),
    "banding": ("compare", ""),
    "lang": ("lang", "id"),
    "proyektor": ("projector", "0"),
    "kelas": ("classifier", "fisher_jenks"),
    "peta_dasar": ("basemap", "0"),
}
_WRITTEN = "_url_written"
_FROM_URL = "_url_changed"


@dataclass(frozen=True)
class View:
    region: str          # "" = Indonesia, else a Kemendagri code
    lang: str
    projector: bool
    classifier: str
    basemap: bool


def sync_from_url() -> None:
    """Apply URL parameters that were changed from outside this session's last write."""
    written: dict = st.session_state.setdefault(_WRITTEN, {})
    changed = st.session_state[_FROM_URL] = set()
    for param, (key, default) in PARAMS.items():
        url_value = st.query_params.get(param)
        if url_value is not None and url_value != written.get(param):
            st.session_state[key] = url_value
            changed.add(key)
        elif key not in st.session_state:
            st.session_state[key] = default


def from_url(key: str) -> bool:
    """True when ``key`` was set by a link in this run (not by a widget or a page)."""
    return key in st.session_state.get(_FROM_URL, ())


def set_value(key: str, value: str) -> None:
    st.session_state[key] = value


def write_to_url() -> None:
    """Write the current state to the URL (only parameters that are not at their default)."""
    written: dict = st.session_state.setdefault(_WRITTEN, {})
    for param, (key, default) in PARAMS.items():
        value = str(st.session_state.get(key, default) or "")
        if value and value != default:
            if st.query_params.get(param) != value:
                st.query_params[param] = value
            written[param] = value
        else:
            if param in st.query_params:
                del st.query_params[param]
            written[param] = None


def current() -> View:
    s = st.session_state
    return View(region=s.get("region", "") or "", lang=s.get("lang", "id"), projector=s.get("projector", "0") == "1",
                classifier=s.get("classifier", "fisher_jenks"), basemap=s.get("basemap", "0") == "1")


def go_to_region(code: str) -> None:
    """Drill down (or up) to a region: update state and URL, then rerun."""
    st.session_state["region"] = code
    new_map_key()
    write_to_url()
    st.rerun()


def new_map_key() -> None:
    """A new map key per navigation: a map identical to one seen before must not replay
    the click it returned then."""
    st.session_state["_nav"] = st.session_state.get("_nav", 0) + 1


def map_key(page: str) -> str:
    return f"map-{page}-{st.session_state.get('_nav', 0)}"
