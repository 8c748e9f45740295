"""The Rapat page: the meeting's agendas (items in order, reorder, edit, remove, add a
pasted link, present in projector mode, download the pack that follows the agenda) and
its follow-ups (components.views.followups), with the change history."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from components import agenda_presenter, auth, data, state
from components.i18n import plain
from components.map.export import MIME, _inputs
from components.views import followups
from components.views.meeting_text import tx
from geo.meeting import records
from geo.meeting.links import LinkError
from geo.meeting.store import meeting_store
from geo.store import WorkspaceError


def _save(agenda, base: int, what: str = "") -> None:
    try:
        meeting_store().save_agenda(agenda, user=auth.current_user(), base_revision=base)
    except WorkspaceError as exc:
        st.session_state["rapat-error"] = tx("failed", msg=plain(exc))
    else:
        st.session_state["rapat-done"] = what
    st.rerun()


def _item_row(agenda, pos: int, item, writable: bool) -> None:
    names = data.names()
    try:
        view = item.view
        title = item.judul or view.title(names.get(view.region) if view.region else None)
    except LinkError:
        title = item.tautan
    c1, c2, c3, c4, c5 = st.columns([6, 1, 1, 1, 1])
    c1.markdown(f"**{pos}.** [{plain(title, 120)}]({item.tautan})  \n"
                f"<small>{plain(item.tautan)}</small>", unsafe_allow_html=True)
    if not writable:
        return
    if c2.button("↑", key=f"ag-up-{pos}", help=tx("up"), disabled=pos == 1):
        _save(records.move_item(agenda, pos, pos - 1), agenda.revisi)
    if c3.button("↓", key=f"ag-down-{pos}", help=tx("down"), disabled=pos == len(agenda.butir)):
        _save(records.move_item(agenda, pos, pos + 1), agenda.revisi)
    if c4.button("✕", key=f"ag-rm-{pos}", help=tx("remove")):
        _save(records.remove_item(agenda, pos), agenda.revisi)
    with c5.popover("✎", help=tx("edit_title")):
        new = st.text_input(tx("item_title"), value=item.judul, key=f"ag-title-{pos}",
                            max_chars=records.MAX_TEXT["judul"])
        if st.button(tx("edit_title"), key=f"ag-title-save-{pos}"):
            _save(records.edit_item(agenda, pos, title=new), agenda.revisi)


def _agenda_settings(agenda) -> None:
    """The meeting's date (the pack lists follow-ups closed since the previous meeting's
    date) and removing the agenda."""
    with st.popover("⚙ " + tx("meeting_date")):
        day = st.date_input(tx("meeting_date"), format="DD/MM/YYYY", key="ag-date",
                            value=dt.date.fromisoformat(agenda.tanggal) if agenda.tanggal
                            else dt.date.today())
        if st.button(tx("update_save"), key="ag-date-save"):
            _save(replace(agenda, tanggal=day.isoformat()), agenda.revisi)
        st.divider()
        if st.button(tx("delete_agenda"), key="ag-delete"):
            try:
                meeting_store().delete_agenda(agenda.nama, user=auth.current_user(),
                                              base_revision=agenda.revisi)
            except WorkspaceError as exc:
                st.session_state["rapat-error"] = tx("failed", msg=plain(exc))
            st.rerun()


def _pack(agenda, region: str) -> None:
    from geo.export.pack import build_pack
    key = f"_agenda_pack_{agenda.nama}_{agenda.revisi}_{region}"
    if st.session_state.get(key) is None:
        if st.button(tx("pack_prepare"), key="ag-pack-prepare"):
            with st.spinner(tx("pack_building")):
                inputs = _inputs()
                st.session_state[key] = build_pack(region, lang="id", agenda=agenda,
                                                   **inputs)[0]
    if st.session_state.get(key) is not None:
        st.download_button(tx("pack"), st.session_state[key], on_click="ignore",
                           file_name=f"rapat-{agenda.nama.replace(' ', '-')[:40]}.pptx",
                           mime=MIME["pptx"], key="ag-pack-dl")


def agenda_section(region: str) -> None:
    store = meeting_store()
    writable = followups.can_write()
    for key, show in (("rapat-done", st.success), ("rapat-error", st.error)):
        msg = st.session_state.pop(key, None)
        if msg:
            show(msg)
    st.subheader(tx("agenda"))
    agendas = {a.nama: a for a in store.agendas()}
    if not agendas:
        st.info(tx("no_agendas"))
    choice = None
    if agendas:
        asked = str(st.query_params.get("agenda") or "")
        names = list(agendas)
        choice = st.selectbox(tx("pick_agenda"), names, key="ag-pick",
                              index=names.index(asked) if asked in names else 0)
        agenda = agendas[choice]
        st.caption(f"{tx('meeting_date')}: {dt.date.fromisoformat(agenda.tanggal):%d-%m-%Y}"
                   if agenda.tanggal else "")
        if writable:
            _agenda_settings(agenda)
        for pos, item in enumerate(agenda.butir, start=1):
            _item_row(agenda, pos, item, writable)
        if agenda.butir:
            st.link_button(tx("present"), agenda_presenter.start_link(agenda),
                           help=tx("present_help"))
            _pack(agenda, region)
    if not writable:
        return
    with st.form("ag-paste", clear_on_submit=True):
        c1, c2 = st.columns([2, 3])
        name = c1.text_input(tx("agenda"), value=choice or "", key="ag-paste-name",
                             max_chars=records.MAX_TEXT["nama"])
        link = c2.text_input(tx("paste_link"), key="ag-paste-link", max_chars=2000,
                             placeholder="/stunting?wilayah=62")
        if st.form_submit_button(tx("add_link")):
            try:
                current = agendas.get(name.strip()) or records.new_agenda(name)
                new = records.add_item(current, link)
            except WorkspaceError as exc:
                st.error(tx("failed", msg=plain(exc)))
            except LinkError as exc:
                st.error(tx("failed", msg=plain(exc)))
            else:
                _save(new, current.revisi, tx("added", name=plain(new.nama), pos=len(new.butir)))


def render_meeting() -> None:
    view = state.current()
    st.title(tx("title"))
    st.caption(tx("intro"))
    agenda_section(view.region)
    st.divider()
    followups.list_section(view.region)
    with st.expander(tx("history")):
        st.dataframe(meeting_store().audit(), hide_index=True, width="stretch",
                     key="rapat-audit")
