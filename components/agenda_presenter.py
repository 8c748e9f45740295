"""Presenting a meeting agenda in projector mode: one view after another with → ← or
PageDown PageUp (presentation clickers send those keys), Esc to stop; no control visible.

A presentation is opened by a link: the first view's link with ``proyektor=1``,
``agenda=NAMA`` and ``langkah=1`` (the Rapat page shows it). On every run of a projector
view with those parameters, ``render()`` (called by the shell after the sidebar) draws
three hidden buttons and a key handler in the page: a key clicks a button, and the run it
causes opens the next (or previous) view of the agenda with ``st.switch_page`` — one
script run per step, in the same session (the map stays mounted). Self-contained: the
shell's own projector keys (issue 24) may live beside it.
"""
from __future__ import annotations

import html

import streamlit as st

from components import state
from components.i18n import pick, plain
from geo.meeting.links import LinkError
from geo.meeting.store import meeting_store

NAV_KEY = "pp-agenda-nav"          # st.container key → CSS class .st-key-pp-agenda-nav
AGENDA, STEP = "agenda", "langkah"
TEXT = {"not_found": ("Agenda '{name}' tidak ditemukan; penyajian dihentikan.",
                      "Agenda '{name}' not found; presentation stopped."),
        "step": ("{name} · {pos}/{n} · → berikutnya, ← sebelumnya, Esc selesai",
                 "{name} · {pos}/{n} · → next, ← previous, Esc ends")}
# In the page's own document (st.html with JavaScript): one key listener on the page and
# on every same-origin frame (the map), clicking the hidden buttons; installed once. It
# acts only when the hidden buttons exist (an agenda is being presented) and then stops
# the key there, so page-to-page projector keys of the shell do not also fire.
KEYS_JS = """
<script>
(function () {
  const w = window.parent && window.parent.document ? window.parent : window;
  if (w.__ppAgendaKeys) return;
  w.__ppAgendaKeys = true;
  const keys = {ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev",
                Escape: "exit"};
  function onKey(e) {
    const what = keys[e.key];
    if (!what) return;
    const button = w.document.querySelector(".st-key-pp-agenda-" + what + " button");
    if (!button) return;
    e.preventDefault();
    e.stopImmediatePropagation();     // while presenting, the agenda owns these keys
    button.click();
  }
  w.addEventListener("keydown", onKey, true);   // capture on window: before document handlers
  w.setInterval(function () {
    w.document.querySelectorAll("iframe").forEach(function (f) {
      try {
        const d = f.contentDocument;
        if (d && !d.__ppAgendaKeys) { d.__ppAgendaKeys = true; d.addEventListener("keydown", onKey, true); }
      } catch (err) { /* another origin */ }
    });
  }, 1000);
})();
</script>
"""
# no control is visible while presenting: the view comes from the link, keys step
CSS = (f"<style>.st-key-{NAV_KEY}{{display:none!important}}"
       ".st-key-exit-projector{display:none!important}"
       "[data-testid='stMain'] :is([data-testid='stRadio'],[data-testid='stSelectbox'],"
       "[data-testid='stCheckbox'],[data-testid='stToggle'],[data-testid='stButton'],"
       "[data-testid='stDownloadButton']){display:none!important}"
       ".pp-agenda-step{position:fixed;right:.8rem;bottom:.4rem;font-size:.8rem;"
       "color:#6b7680;z-index:1000;pointer-events:none}</style>")


def presenting() -> tuple[str, int] | None:
    """(agenda name, step) of the link, when it presents an agenda."""
    name = str(st.query_params.get(AGENDA) or "")[:120]
    try:
        step = int(str(st.query_params.get(STEP) or ""))
    except ValueError:
        return None
    return (name, step) if name else None


def _stop() -> None:
    for key in (AGENDA, STEP):
        if key in st.query_params:
            del st.query_params[key]


def go(agenda, pos: int) -> None:
    """Open view ``pos`` (1-based) of ``agenda`` in projector mode (one script run)."""
    view = agenda.butir[pos - 1].view
    params = view.query()
    for param, (key, default) in state.PARAMS.items():
        st.session_state[key] = params.get(param, default)
    st.session_state["projector"] = "1"
    st.switch_page(f"pages/{view.page}.py",
                   query_params={**params, "proyektor": "1", AGENDA: agenda.nama,
                                 STEP: str(pos)})


def render(view: state.View) -> None:
    """In a projector view of a presentation link: hidden step buttons, the key handler
    and the step shown small in a corner. Stops the presentation on Esc."""
    found = presenting()
    if found is None or not view.projector:
        return
    name, step = found
    try:
        agenda = meeting_store().agenda(name)
    except LinkError:
        agenda = None
    if agenda is None or not agenda.butir:
        st.warning(pick(TEXT["not_found"], name=plain(name, 60)))
        _stop()
        return
    step = max(1, min(step, len(agenda.butir)))
    with st.container(key=NAV_KEY):
        st.html(CSS)
        st.html(KEYS_JS, unsafe_allow_javascript=True)
        prev = st.button("prev", key="pp-agenda-prev")
        nxt = st.button("next", key="pp-agenda-next")
        end = st.button("exit", key="pp-agenda-exit")
    if end:
        _stop()
        state.set_value("projector", "0")
        state.write_to_url()
        st.rerun()
    if nxt and step < len(agenda.butir):
        go(agenda, step + 1)
    if prev and step > 1:
        go(agenda, step - 1)
    st.html(f"<div class='pp-agenda-step'>"
            f"{html.escape(pick(TEXT['step'], name=agenda.nama, pos=step, n=len(agenda.butir)))}"
            "</div>")


def start_link(agenda, pos: int = 1) -> str:
    """The link that presents ``agenda`` from view ``pos``."""
    return agenda.butir[pos - 1].view.link(proyektor="1", **{AGENDA: agenda.nama,
                                                            STEP: str(pos)})
