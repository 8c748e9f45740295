"""Projector mode that presents: the next or previous map page and region from the
keyboard or a presentation clicker, and a small control the audience barely sees.

Keys (a clicker sends PageDown / PageUp, some send → / ←):

* → or PageDown: the next map page (Ringkasan → Stunting → … → Peringkat); after the last
  page, the first page of the next region (the region's next sibling);
* ← or PageUp: back the same way;
* ↓ / ↑: the next / previous region (siblings of the same parent, in code order), same page.

The control is a row of small buttons in the bottom-right corner, nearly transparent until
the pointer or the keyboard focus is on it. The keys press those same buttons: the script
(injected into the app's page once, st.components.v1.html) listens on the app's document
and on the documents of its iframes (the map's, same origin), so a key pressed after a
click on the map works too. A button's callback sets the region (before the sidebar is
drawn) or asks for another page, which the shell opens with ``st.switch_page`` at the
start of the next run (``take_page``).
"""
from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as st_components

from components import state
from components.i18n import t
from geo.codes import parent_code
from geo.regions import boundaries as regions

_GOTO = "_pp_goto"        # the page a control asked for, opened by the shell


def _pages(entries: list[tuple[str, str, str]], map_paths: set[str]) -> list[str]:
    """Script paths of the map pages, in the navigation's order."""
    return [path for i, (path, _key, url) in enumerate(entries)
            if (url if i else "") in map_paths]


def siblings(region: str) -> list[str]:
    """The region and its siblings (same parent), in code order ([] for Indonesia)."""
    if not region:
        return []
    codes = [str(c) for c in regions.children(parent_code(region) or "")["code"]]
    return sorted(codes) if region in codes else []


def step_region(region: str, step: int) -> str | None:
    """The sibling ``step`` places away (wrapping), or None when there is none."""
    codes = siblings(region)
    if len(codes) < 2:
        return None
    return codes[(codes.index(region) + step) % len(codes)]


def _set_region(code: str | None) -> None:
    if code:
        state.set_value("region", code)


def _go(pages: list[str], current: str, step: int) -> None:
    """Callback of the page buttons: the next/previous map page; past the last (first)
    page, the first (last) page of the next (previous) region."""
    if current not in pages:          # from a page without a map: the first (last) one
        st.session_state[_GOTO] = pages[0 if step > 0 else -1]
        return
    j = pages.index(current) + step
    if not 0 <= j < len(pages):
        _set_region(step_region(st.session_state.get("region", ""), step))
        j %= len(pages)
    st.session_state[_GOTO] = pages[j]


def _region(step: int) -> None:
    _set_region(step_region(st.session_state.get("region", ""), step))


def _exit() -> None:
    state.set_value("projector", "0")


def take_page() -> str | None:
    """The page a control asked for in the last run (script path), once."""
    return st.session_state.pop(_GOTO, None)


def current_path(entries: list[tuple[str, str, str]], url_path: str) -> str:
    """Script path of the page at ``url_path`` ("" = the default page)."""
    for i, (path, _key, url) in enumerate(entries):
        if (url if i else "") == (url_path or ""):
            return path
    return ""


def open_page(entries: list[tuple[str, str, str]], url_path: str) -> None:
    """Open the page a control asked for (st.switch_page: a new run of that page, the map
    stays mounted), with the view's parameters in its URL."""
    goto = take_page()
    if not goto or goto == current_path(entries, url_path):
        return
    params = {p: str(st.session_state.get(key, default) or "")
              for p, (key, default) in state.PARAMS.items()}
    st.switch_page(goto, query_params={p: v for p, v in params.items()
                                       if v and v != state.PARAMS[p][1]})


_CSS = """<style>
.st-key-pp-presenter{position:fixed;right:10px;bottom:8px;z-index:999990;width:auto!important;
  opacity:.22;transition:opacity .2s;background:rgba(255,255,255,.85);border-radius:8px;
  padding:2px 4px}
.st-key-pp-presenter:hover,.st-key-pp-presenter:focus-within{opacity:1}
.st-key-pp-presenter button{min-height:30px;padding:0 10px;font-size:15px;line-height:1}
.st-key-pp-presenter [data-testid="stElementContainer"]:has(iframe),
.st-key-pp-presenter iframe{position:absolute!important;width:0!important;height:0!important;
  overflow:hidden;border:0}
</style>"""

# Injected into the app's document once (the iframe of st.components.v1.html is same-origin
# and its script runs on every mount, the listener only once). A key presses the control's
# button; typing in a field, and keys with Ctrl/Alt/Meta, are left alone.
_KEYS_JS = """<script>
(function () {
  var top = window.parent;
  if (!top || top.__ppPresenter) { return; }
  top.__ppPresenter = true;
  var doc = top.document;
  var KEYS = {ArrowRight: "pp-next-page", PageDown: "pp-next-page",
              ArrowLeft: "pp-prev-page", PageUp: "pp-prev-page",
              ArrowDown: "pp-next-region", ArrowUp: "pp-prev-region"};
  function onKey(e) {
    var key = KEYS[e.key];
    if (!key || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) { return; }
    var el = e.target;
    var tag = el && el.tagName ? el.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" ||
        (el && el.isContentEditable)) { return; }
    var button = doc.querySelector(".st-key-" + key + " button");
    if (!button || button.disabled) { return; }   // not in projector mode, or nothing there
    e.preventDefault();
    e.stopPropagation();
    button.click();
  }
  doc.addEventListener("keydown", onKey, true);
  // the map's iframe (and any other same-origin one) has the focus after a click in it
  function watch() {
    doc.querySelectorAll("iframe").forEach(function (f) {
      try {
        var w = f.contentWindow;
        if (w && !w.__ppKeys) { w.__ppKeys = true; w.addEventListener("keydown", onKey, true); }
      } catch (err) { /* another origin: not ours */ }
    });
  }
  watch();
  top.setInterval(watch, 1000);
})();
</script>"""


def controls(entries: list[tuple[str, str, str]], map_paths: set[str], current: str) -> None:
    """The projector's control bar (page ◀ ▶, region ▲ ▼, exit) and the keyboard script.
    ``entries``: the navigation's pages (script path, title key, URL path); ``current``:
    the script path of the page shown."""
    pages = _pages(entries, map_paths)
    region = st.session_state.get("region", "")
    has_regions = step_region(region, 1) is not None
    st.markdown(_CSS, unsafe_allow_html=True)
    with st.container(key="pp-presenter", horizontal=True, gap="small", width="content"):
        st.button("◀", key="pp-prev-page", help=t("presenter_prev_page"), on_click=_go,
                  args=(pages, current, -1), disabled=not pages)
        st.button("▶", key="pp-next-page", help=t("presenter_next_page"), on_click=_go,
                  args=(pages, current, 1), disabled=not pages)
        st.button("▲", key="pp-prev-region", help=t("presenter_prev_region"),
                  on_click=_region, args=(-1,), disabled=not has_regions)
        st.button("▼", key="pp-next-region", help=t("presenter_next_region"),
                  on_click=_region, args=(1,), disabled=not has_regions)
        st.button("✕", key="exit-projector", help=t("projector_exit"), on_click=_exit)
        st_components.html(_KEYS_JS, height=0)
