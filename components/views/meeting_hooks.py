"""On every map page, in the sidebar, out of the way (a closed expander): "Tambah ke
agenda" (the view as it is now: page and every URL parameter) and "Catat tindak lanjut"
(a decision on this view, its figures kept). Drawn by the shell after the page ran, so
the indicator and survey are those the page settled on. The forms are drawn only while
the expander is open (opening it reruns the page): a view that nobody records from does
not carry a form, a date picker and a text area to the browser."""
from __future__ import annotations

import streamlit as st

from components import auth, data, state
from components.i18n import plain
from components.lazy import lazy_expander
from components.views import followups
from components.views.meeting_text import tx
from geo.meeting import records
from geo.meeting.links import ALIASES, MAP_PAGES, ViewLink, view_link
from geo.meeting.store import meeting_store
from geo.store import WorkspaceError

NEW = "\0new"


def current_view(url_path: str) -> ViewLink | None:
    """The view shown now as a link (None outside the map pages)."""
    page = ALIASES.get(url_path or "", url_path or "")
    if page not in MAP_PAGES:
        return None
    params = {param: str(st.session_state.get(key, default) or "")
              for param, (key, default) in state.PARAMS.items()
              if param != "proyektor" and st.session_state.get(key, default) != default}
    return view_link(page, params)


def _agenda_add(link: ViewLink) -> None:
    done = st.session_state.pop("hook-agenda-done", None)
    if done:
        st.success(done)
    store = meeting_store()
    agendas = {a.nama: a for a in store.agendas()}
    picked = st.session_state.pop("hook-agenda-pick", None)
    if picked in agendas:           # the agenda just created stays chosen
        st.session_state["hook-agenda"] = picked
    choice = st.selectbox(tx("agenda"), [*agendas, NEW], key="hook-agenda",
                          format_func=lambda n: tx("new_agenda") if n == NEW else n)
    name = choice
    if choice == NEW:
        name = st.text_input(tx("agenda_name"), key="hook-agenda-name",
                             max_chars=records.MAX_TEXT["nama"])
    title = st.text_input(tx("item_title"), key="hook-agenda-title",
                          max_chars=records.MAX_TEXT["judul"])
    if st.button(tx("add_to_agenda"), key="hook-agenda-add"):
        try:
            current = agendas.get(name) or records.new_agenda(name)
            saved = store.save_agenda(records.add_item(current, link.link(), title),
                                      user=auth.current_user(), base_revision=current.revisi)
        except WorkspaceError as exc:
            st.error(tx("failed", msg=plain(exc)))
        else:
            st.session_state["hook-agenda-done"] = tx("added", name=plain(saved.nama),
                                                      pos=len(saved.butir))
            st.session_state["hook-agenda-pick"] = saved.nama
            st.rerun()


def render(url_path: str) -> None:
    """The meeting hooks of a map page (not in projector mode)."""
    link = current_view(url_path)
    if link is None or state.current().projector:
        return
    panel = lazy_expander(tx("hooks"), "pp-hooks-open", st.sidebar)
    if panel is None:
        return
    with panel:
        if not followups.can_write():
            st.caption(tx("login_to_write"))
            return
        _agenda_add(link)
        st.divider()
        st.markdown(f"**{tx('record')}**")
        shown = data.periods(link.indicator, data.map_level(link.region), link.region or None)
        period = str(st.session_state.get("period") or "")
        period = period if period in shown else (shown[-1] if shown else "")
        followups.record_form(link.region, link.indicator, period, link.link(), key="hook-tl")
