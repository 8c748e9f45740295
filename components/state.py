"""The view state (region, indicator, survey, language, projector…) kept in the URL.

A copied link opens the same page (URL path, from st.navigation), region, indicator and
survey. Widgets keep their values in ``st.session_state``; on every run the URL's query
parameters are compared with what this session last wrote there: a parameter that differs
was changed from outside (a pasted link, a click on the map) and wins; otherwise the widget
value wins and is written back to the URL.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from geo.codes import is_code, level_of

# URL parameter → (session-state key, default)
PARAMS: dict[str, tuple[str, str]] = {
    "wilayah": ("region", ""),
    "indikator": ("indicator", ""),
    "survei": ("period", ""),
    "banding": ("compare", ""),
    "bahaya": ("hazard_type", ""),      # Risiko Bencana's hazard type
    "lang": ("lang", "id"),
    "proyektor": ("projector", "0"),
    "kelas": ("classifier", "fisher_jenks"),
    "peta_dasar": ("basemap", "0"),
    "peta": ("map_mode", "nilai"),   # nilai | perubahan | berdampingan | lini_waktu (issue 26)
}
# Choices a page makes (issue 24, "the link is the view"): URL parameter → (session-state
# key, default). They are in the URL while the page that uses them is shown (a page
# declares them through ``bound``) and leave it on a page that does not.
PAGE_PARAMS: dict[str, tuple[str, str]] = {
    "bahaya": ("hazard_choice", ""),          # Risiko Bencana: hazard type
    "kelas_bahaya": ("exposed_classes", "tinggi"),   # its exposed list: classes (comma list)
    "urutan": ("rank_order", "order_rank"),   # Peringkat: order of the table and chart
    "k": ("plan_k", "20"),                    # Konektivitas: number of sites
    "radius": ("plan_radius", "5"),           # … reach of a site, km
    "bobot": ("plan_weight", "posyandu"),     # … demand weight
    "hanya_offline": ("only_offline", "1"),   # … map: only Posyandu without internet
}
PARAMS.update(PAGE_PARAMS)
_USED = "_url_page_params"     # page parameters declared by the page of this run
_WRITTEN = "_url_written"
_FROM_URL = "_url_applied"     # parameters taken from the URL in this run
_NOTICES = "_url_notices"      # (i18n key, values) to show once, at the top of the page
MAX_PARAM_CHARS = 100          # a longer URL value is ignored (default kept), with a notice
# Allowed values of the parameters that have a closed set (others: see validate()).
CHOICES: dict[str, tuple[str, ...]] = {
    "lang": ("id", "en"),
    "proyektor": ("0", "1"),
    "kelas": ("fisher_jenks", "quantiles"),
    "peta_dasar": ("0", "1"),
    "peta": ("nilai", "perubahan", "berdampingan", "lini_waktu"),
}


@dataclass(frozen=True)
class View:
    region: str          # "" = Indonesia, else a Kemendagri code
    lang: str
    projector: bool
    classifier: str
    basemap: bool


def sync_from_url(known_region: Callable[[str], bool] | None = None) -> None:
    """Apply URL parameters that were changed from outside this session's last write, then
    check them (``validate``): a link never breaks a page, it opens the nearest sensible
    view with a notice saying what was changed."""
    written: dict = st.session_state.setdefault(_WRITTEN, {})
    applied = set()
    too_long: list[tuple[str, int]] = []
    for param, (key, default) in PARAMS.items():
        try:
            url_value = st.query_params.get(param)
        except Exception:       # pragma: no cover - a malformed query string
            url_value = None
        if url_value is not None and len(str(url_value)) > MAX_PARAM_CHARS:
            # Never cut: a cut value could be another, valid one. Keep the current value
            # and name the parameter (write_to_url then replaces it in the URL).
            st.session_state.setdefault(key, default)
            too_long.append((param, len(str(url_value))))
        elif url_value is not None and url_value != written.get(param):
            st.session_state[key] = str(url_value)
            applied.add(param)
        elif key not in st.session_state:
            st.session_state[key] = default
    st.session_state[_FROM_URL] = applied
    st.session_state[_USED] = set()
    if applied or too_long:     # a new link: its own notices replace those of the last one
        st.session_state.pop(_NOTICES, None)
        st.session_state.pop(_NOTICES + "_region", None)
    for param, chars in too_long:
        _notice("url_too_long", param=param, chars=chars)
    validate(applied, known_region)


def _notice(key: str, **values) -> None:
    st.session_state.setdefault(_NOTICES, []).append((key, values))


def take_notices() -> list[tuple[str, dict]]:
    """Notices about changed link parameters. They stay while the view is the one the
    link opened (a map's first value or another rerun must not wipe them before they are
    read) and go with the first change of region."""
    notices = st.session_state.get(_NOTICES, [])
    shown_for = st.session_state.setdefault(_NOTICES + "_region", st.session_state.get("region"))
    if not notices or shown_for != st.session_state.get("region"):
        st.session_state.pop(_NOTICES, None)
        st.session_state.pop(_NOTICES + "_region", None)
        return []
    return notices


def from_url(param: str) -> bool:
    """True when ``param`` was taken from the URL in this run (a pasted link)."""
    return param in st.session_state.get(_FROM_URL, set())


def reject_url_value(param: str, value) -> None:
    """A page found the URL value of ``param`` unusable: say so where the page is (it
    falls back to its default)."""
    if from_url(param) and value:
        from components.i18n import plain, t
        st.warning(t("url_bad_value", param=param, value=plain(value, 60)))


def nearest_region(code: str, known: Callable[[str], bool]) -> tuple[str, str | None]:
    """(region to show, notice key or None) for a region code from a link: a known
    provinsi/kabupaten/kecamatan code is kept; a village opens its kecamatan (maps go down
    to the villages of a kecamatan); an unknown or malformed code opens its nearest known
    ancestor, else Indonesia."""
    if not code:
        return "", None
    if not is_code(code):
        return "", "url_bad_region"
    if level_of(code) == "desa":
        parent = code.rsplit(".", 1)[0]
        shown, _ = nearest_region(parent, known)
        return shown, ("url_village" if shown == parent else "url_bad_region")
    if known(code):
        return code, None
    parts = code.split(".")
    while parts:
        parts.pop()
        cand = ".".join(parts)
        if cand and known(cand):
            return cand, "url_bad_region"
    return "", "url_bad_region"


def validate(params: set[str] | None = None,
             known_region: Callable[[str], bool] | None = None) -> None:
    """Replace unusable state values (from ``params``, default all) by the nearest sensible
    ones, with a notice. Region codes are checked with ``known_region`` when given."""
    s = st.session_state
    for param in (params if params is not None else PARAMS):
        key, default = PARAMS[param]
        value = str(s.get(key, default) or "")
        if param in CHOICES and value not in CHOICES[param]:
            s[key] = default
            _notice("url_bad_value", param=param, value=value)
        elif param == "wilayah" and known_region is not None:
            shown, why = nearest_region(value.strip(), known_region)
            if why:
                s[key] = shown
                _notice(why, value=value, shown=shown)


def set_value(key: str, value: str) -> None:
    st.session_state[key] = value


def bound(param: str, widget, label: str, parse: Callable[[str], object],
          unparse: Callable[[object], str], *, key: str, **kwargs):
    """A page's widget whose value lives in the URL parameter ``param`` (PAGE_PARAMS): the
    widget (Streamlit key ``key``) opens on the URL's value; a value it cannot show (``parse``
    raises ValueError) gets the visible notice of a bad link value and the default; a change
    is written back to the URL at the end of the run. Returns the widget's value."""
    state_key, default = PAGE_PARAMS[param]
    st.session_state.setdefault(_USED, set()).add(param)
    raw = str(st.session_state.get(state_key, default) or default)
    try:
        value = parse(raw)
    except (ValueError, TypeError, KeyError):
        reject_url_value(param, raw)
        value = parse(default)
        st.session_state[state_key] = default
    if from_url(param) or key not in st.session_state:
        st.session_state[key] = value

    def changed():
        st.session_state[state_key] = unparse(st.session_state[key])
    out = widget(label, key=key, on_change=changed, **kwargs)
    st.session_state[state_key] = unparse(out)
    return out


def write_to_url(page_done: bool = False) -> None:
    """Write the current state to the URL (only parameters that are not at their default).
    Page parameters are written once the page has run (``page_done``): those it declared,
    and no other."""
    written: dict = st.session_state.setdefault(_WRITTEN, {})
    used = st.session_state.get(_USED, set())
    for param, (key, default) in PARAMS.items():
        if param in PAGE_PARAMS:
            if not page_done:
                continue
            if param not in used:
                if param in st.query_params:
                    del st.query_params[param]
                written[param] = None
                continue
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


def apply_map_click(known_region: Callable[[str], bool]) -> bool:
    """Open the region the visitor chose on the map ("Buka wilayah ini", or Enter on a
    focused region; Escape sends the parent region with ``up``), at the start of
    the run that click caused, before anything is drawn: one script run per drill-down (the
    page used to be drawn for the old region first, then rerun). True when it moved.

    The map stays mounted from view to view (components.map.frame), so its value stays
    too: each click carries its own mark ("click"), and a click is handled once."""
    value = st.session_state.get(map_key(current()))
    feature = value.get("last_active_drawing") if isinstance(value, dict) else None
    props = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(props, dict):
        return False
    click = str(props.get("click") or "")
    if not click or click == st.session_state.get("_map_click"):
        return False
    st.session_state["_map_click"] = click
    code = str(props.get("code") or "")
    up = bool(props.get("up"))      # Escape on the map: one level up, "" = Indonesia
    if not code and up and st.session_state.get("region", ""):
        st.session_state["region"] = ""
        return True
    if (code and code != st.session_state.get("region", "") and is_code(code)
            and level_of(code) != "desa" and known_region(code)):
        st.session_state["region"] = code
        return True
    return False


def map_key(view: View) -> str:
    """One map per visitor and base (language, projector, basemap): the same key on every
    page and region keeps it mounted."""
    return f"peta-{view.lang}-{int(view.projector)}-{int(view.basemap)}"
