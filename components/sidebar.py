"""The shared sidebar: region (Indonesia → provinsi → kabupaten/kota → kecamatan), language,
projector mode, map options; pages add their own indicator and survey pickers through
``indicator_select`` and ``period_select``. Every choice is kept in the URL (components.state).

On a phone the sidebar starts collapsed, so the region, indicator and survey pickers are
drawn a second time in the quick bar at the top of the page (components.mobile, shown on
narrow screens only). Both copies are bound to the same URL-backed state: each widget has
its own key (suffix ``_q`` in the bar) and writes to the shared state on change.
"""
from __future__ import annotations

import threading

import streamlit as st

from components import data, mobile, state
from components.i18n import lang, pick, plain, t
from components.lazy import lazy_expander
from geo.codes import LEVELS
from geo.indicators import registry as indicators
from geo.regions import boundaries as regions

_LEVEL_KEYS = {"provinsi": "_w_prov", "kabupaten": "_w_kab", "kecamatan": "_w_kec"}
_LEVEL_TEXT = {"provinsi": "province", "kabupaten": "regency", "kecamatan": "district"}
_QUICK = "_q"  # key suffix of the quick bar's copies of the pickers
_RUN = threading.local()  # the quick bar of this script run (each run has its own thread)


def _places() -> list[tuple]:
    """(container, key suffix) of every place the pickers are drawn: the sidebar, and the
    quick bar at the top of the page when this run has one."""
    bar = getattr(_RUN, "quick_bar", None)
    return [(st.sidebar, "")] + ([(bar, _QUICK)] if bar is not None else [])


def _region_changed(level: str, suffix: str = "") -> None:
    chosen = st.session_state.get(_LEVEL_KEYS[level] + suffix) or ""
    if chosen:
        state.set_value("region", chosen)
    else:  # "all" at this level: the parent stays selected
        i = LEVELS.index(level)
        parent_key = _LEVEL_KEYS.get(LEVELS[i - 1]) if i > 0 else None
        state.set_value("region",
                        st.session_state.get(parent_key + suffix, "") if parent_key else "")


def _region_pickers(suffix: str = "") -> None:
    region = st.session_state.get("region", "")
    parts = region.split(".") if region else []
    names = data.names()
    parent = ""
    for i, level in enumerate(("provinsi", "kabupaten", "kecamatan")):
        options = [""] + list(regions.children(parent)["code"])
        current = ".".join(parts[: i + 1]) if len(parts) > i else ""
        key = _LEVEL_KEYS[level] + suffix
        st.session_state[key] = current if current in options else ""
        empty = t("all") if i else t("indonesia")
        st.selectbox(t(_LEVEL_TEXT[level]), options, key=key,
                     format_func=lambda c, empty=empty: names.get(c, c) if c else empty,
                     on_change=_region_changed, args=(level, suffix))
        if not st.session_state[key]:
            break
        parent = current


def _bound_widget(widget, label: str, key: str, to_state, from_state, suffix: str = "",
                  **kwargs):
    """A widget whose value lives in the URL-backed state ``key`` (``suffix`` tells apart
    copies of the same picker)."""
    wkey = f"_w_{key}{suffix}"
    st.session_state[wkey] = from_state(st.session_state.get(key))

    def changed():
        state.set_value(key, to_state(st.session_state[wkey]))
    return widget(label, key=wkey, on_change=changed, **kwargs)


def render(quick_bar: bool = True) -> state.View:
    """Draw the shared sidebar (and, if ``quick_bar``, the quick bar at the top of the
    page that narrow screens show instead); return the current view."""
    _RUN.quick_bar = None
    with st.sidebar:
        st.markdown(f"## {t('app_title')}")
        _bound_widget(st.radio, t("language"), "lang", str, lambda v: v or "id",
                      options=["id", "en"], horizontal=True,
                      format_func=lambda v: "Bahasa Indonesia" if v == "id" else "English")
        st.markdown(f"**{t('region')}**")
        _region_pickers()
        _bound_widget(st.toggle, t("projector"), "projector", lambda b: "1" if b else "0",
                      lambda v: v == "1", help=t("projector_help"))
        # Drawn only while open (the click reruns): most views never open it.
        settings = lazy_expander("⚙ " + t("classifier"), "pp-settings-open")
        if settings is not None:
            with settings:
                methods = {m: t(m) for m in ("fisher_jenks", "quantiles")}
                _bound_widget(st.radio, t("classifier"), "classifier", str,
                              lambda v: v if v in methods else "fisher_jenks",
                              options=list(methods), format_func=methods.get,
                              label_visibility="collapsed")
                _bound_widget(st.toggle, t("basemap"), "basemap", lambda b: "1" if b else "0",
                              lambda v: v == "1")
        st.caption(t("copy_link"))
    view = state.current()
    if quick_bar and not view.projector:
        _RUN.quick_bar = mobile.quick_bar(data.region_name(view.region))
        if _RUN.quick_bar is not None:
            with _RUN.quick_bar:
                _region_pickers(_QUICK)
    return view


def indicator_select(options: list[str]) -> str:
    """Indicator picker for pages with several; keeps the choice in the URL."""
    labels = {o: indicators.get(o).label(lang()) for o in options}
    if st.session_state.get("indicator") not in options:
        state.reject_url_value("indikator", st.session_state.get("indicator"))
        state.set_value("indicator", options[0])
    if len(options) > 1:
        for place, suffix in _places():
            with place:
                _bound_widget(st.selectbox, t("indicator"), "indicator", str, lambda v: v,
                              suffix, options=options, format_func=lambda o: labels.get(o, o))
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


def nearest_period(asked: str, options: list[str]) -> str:
    """The option closest in year to ``asked`` (the later one on a tie); the latest when
    ``asked`` names no year."""
    real = [o for o in options if o]
    year = data.period_year(asked)
    if year is None or not real:
        return real[-1] if real else ""
    return min(reversed(real), key=lambda o: abs((data.period_year(o) or 0) - year))


def registry_period(indicator: str, region: str) -> str:
    """The registry, or — where an aggregate table per kecamatan/desa was imported for
    this indicator under ``region`` — a picker between the registry and those tables."""
    periods = data.periods(indicator, data.map_level(region), region)
    if len(periods) <= 1:
        return indicators.REGISTRY_PERIOD
    period = period_select(periods, default=indicators.REGISTRY_PERIOD, label_key="source_pick",
                           format_func=lambda p: t("registry_source")
                           if p == indicators.REGISTRY_PERIOD else t("table_source", period=p))
    if period != indicators.REGISTRY_PERIOD:
        with st.sidebar:   # the table's own source, as plain text (it comes from a file)
            for source in data.sources(indicator, data.map_level(region), period, region):
                st.text(t("source_of", source=source))
    return period


def period_select(options: list[str], default: str | None = None, key: str = "period",
                  label_key: str = "survey", format_func=str) -> str:
    """Survey/year picker (or comparison picker with key='compare'). Opens on ``default``
    or the latest period; a period asked for (URL, previous view) that this view does not
    have is replaced by the nearest one, and a notice says so."""
    if not options:
        return ""
    asked = st.session_state.get(key)
    if asked not in options:
        fallback = default if default in options else options[-1]
        param = next(p for p, (k, _) in state.PARAMS.items() if k == key)
        if asked and state.from_url(param):   # a link asked for it: say what is shown instead
            fallback = nearest_period(asked, options) if key == "period" else fallback
            st.warning(t("period_unavailable", asked=plain(asked, 60), used=fallback or "—"))
        state.set_value(key, fallback)
    for place, suffix in _places():
        with place:
            _bound_widget(st.selectbox, t(label_key), key, str, lambda v: v, suffix,
                          options=options, format_func=format_func)
    return st.session_state[key]


MAP_MODES = {"nilai": ("Nilai satu periode", "One period's values"),
             "perubahan": ("Perubahan antar-periode", "Change between periods"),
             "berdampingan": ("Dua periode berdampingan", "Two periods side by side"),
             "lini_waktu": ("Lini waktu", "Timeline")}


def map_mode_select(modes: tuple[str, ...] = tuple(MAP_MODES)) -> str:
    """What the map shows (issue 26): one period's values, the change between two
    (``?peta=perubahan``), two periods side by side (``berdampingan``) or every period on
    a timeline (``lini_waktu``); kept in the URL like every picker."""
    if st.session_state.get("map_mode") not in modes:
        state.set_value("map_mode", modes[0])
    for place, suffix in _places():
        with place:
            _bound_widget(st.radio, pick(("Peta", "Map")), "map_mode", str,
                          lambda v: v if v in modes else modes[0], suffix,
                          options=list(modes), format_func=lambda m: pick(MAP_MODES[m]),
                          horizontal=True)
    return st.session_state["map_mode"]
