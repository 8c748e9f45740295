"""The shared sidebar: region (Indonesia → provinsi → kabupaten/kota → kecamatan), language,
projector mode, map options; pages add their own indicator and survey pickers through
``indicator_select`` and ``period_select``. Every choice is kept in the URL (components.state).
"""
from __future__ import annotations

import streamlit as st

from components import data, state
from components.i18n import lang, t
from geo import indicators, regions
from geo.codes import LEVELS

_LEVEL_KEYS = {"provinsi": "_w_prov", "kabupaten": "_w_kab", "kecamatan": "_w_kec"}
_LEVEL_TEXT = {"provinsi": "province", "kabupaten": "regency", "kecamatan": "district"}


def _region_changed(level: str) -> None:
    chosen = st.session_state.get(_LEVEL_KEYS[level]) or ""
    if chosen:
        state.set_value("region", chosen)
    else:  # "all" at this level: the parent stays selected
        i = LEVELS.index(level)
        parent_key = _LEVEL_KEYS.get(LEVELS[i - 1]) if i > 0 else None
        state.set_value("region", st.session_state.get(parent_key, "") if parent_key else "")
    state.new_map_key()


def _region_pickers() -> None:
    region = st.session_state.get("region", "")
    parts = region.split(".") if region else []
    names = data.names()
    parent = ""
    for i, level in enumerate(("provinsi", "kabupaten", "kecamatan")):
        options = [""] + list(regions.children(parent)["code"])
        current = ".".join(parts[: i + 1]) if len(parts) > i else ""
        key = _LEVEL_KEYS[level]
        st.session_state[key] = current if current in options else ""
        empty = t("all") if i else t("indonesia")
        st.selectbox(t(_LEVEL_TEXT[level]), options, key=key,
                     format_func=lambda c, empty=empty: names.get(c, c) if c else empty,
                     on_change=_region_changed, args=(level,))
        if not st.session_state[key]:
            break
        parent = current


def _bound_widget(widget, label: str, key: str, to_state, from_state, **kwargs):
    """A widget whose value lives in the URL-backed state ``key``."""
    wkey = f"_w_{key}"
    st.session_state[wkey] = from_state(st.session_state.get(key))

    def changed():
        state.set_value(key, to_state(st.session_state[wkey]))
    return widget(label, key=wkey, on_change=changed, **kwargs)


def render() -> state.View:
    """Draw the shared sidebar; return the current view."""
    with st.sidebar:
        st.markdown(f"## {t('app_title')}")
        _bound_widget(st.radio, t("language"), "lang", str, lambda v: v or "id",
                      options=["id", "en"], horizontal=True,
                      format_func=lambda v: "Bahasa Indonesia" if v == "id" else "English")
        st.markdown(f"**{t('region')}**")
        _region_pickers()
        _bound_widget(st.toggle, t("projector"), "projector", lambda b: "1" if b else "0",
                      lambda v: v == "1", help=t("projector_help"))
        with st.expander("⚙ " + t("classifier"), expanded=False):
            methods = {m: t(m) for m in ("fisher_jenks", "quantiles")}
            _bound_widget(st.radio, t("classifier"), "classifier", str,
                          lambda v: v if v in methods else "fisher_jenks",
                          options=list(methods), format_func=methods.get,
                          label_visibility="collapsed")
            _bound_widget(st.toggle, t("basemap"), "basemap", lambda b: "1" if b else "0",
                          lambda v: v == "1")
        st.caption(t("copy_link"))
    return state.current()


def indicator_select(options: list[str]) -> str:
    """Indicator picker for pages with several; keeps the choice in the URL."""
    labels = {o: indicators.get(o).label(lang()) for o in options}
    if st.session_state.get("indicator") not in options:
        state.reject_url_value("indikator", st.session_state.get("indicator"))
        state.set_value("indicator", options[0])
    if len(options) > 1:
        with st.sidebar:
            _bound_widget(st.selectbox, t("indicator"), "indicator", str, lambda v: v,
                          options=options, format_func=lambda o: labels.get(o, o))
    return st.session_state["indicator"]


def periods_or_registry(indicator: str, region: str, registry_indicator: str
                        ) -> tuple[str, list[str]]:
    """The periods of ``indicator`` for the regions on the map under ``region``; where it
    has none at that level, the registry indicator instead, with a note saying so."""
    periods = data.periods(indicator, data.map_level(region), region)
    if periods:
        return indicator, periods
    st.info(t("survey_only_levels"))
    return registry_indicator, data.periods(registry_indicator)


def period_select(options: list[str], default: str | None = None, key: str = "period",
                  label_key: str = "survey", format_func=str) -> str:
    """Survey/year picker (or comparison picker with key='compare')."""
    if not options:
        return ""
    if st.session_state.get(key) not in options:
        param = next(p for p, (k, _) in state.PARAMS.items() if k == key)
        state.reject_url_value(param, st.session_state.get(key))
        state.set_value(key, default if default in options else options[-1])
    with st.sidebar:
        _bound_widget(st.selectbox, t(label_key), key, str, lambda v: v, options=options,
                      format_func=format_func)
    return st.session_state[key]
