"""Audit page: every change of the shared data (PostGIS store) — who, when, kind, action,
rows, the import report — restore of an earlier version for the user's regions, and (for
admins) the editors and their regions. All work is done by geo.store."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components.i18n import plain as md_escape
from components.i18n import t
from geo.meeting.store import meeting_store
from geo.store import ROLES, WorkspaceError, get_store


def _clear_caches() -> None:
    st.cache_resource.clear()
    st.cache_data.clear()


def _users_section(store, admin) -> None:
    st.header(t("users_title"))
    users = store.list_users()
    st.dataframe(pd.DataFrame({
        t("username"): [u.username for u in users], t("user_role"): [u.role for u in users],
        "wilayah": [", ".join(u.scope) or t("all_regions") for u in users],
        "aktif": [u.active for u in users]}), hide_index=True, width="stretch")
    done = st.session_state.pop("audit-user-done", None)
    if done:
        st.success(done)
    with st.form("user-add", clear_on_submit=True):
        st.markdown(f"**{t('user_add')}**")
        c1, c2, c3, c4 = st.columns(4)
        name = c1.text_input(t("username"), key="ua-name")
        password = c2.text_input(t("password"), type="password", key="ua-pass")
        role = c3.selectbox(t("user_role"), ROLES, key="ua-role")
        scope = c4.text_input(t("user_scope"), key="ua-scope")
        if st.form_submit_button(t("user_add")):
            try:
                store.add_user(name.strip(), password, role,
                               [s.strip() for s in scope.split(",") if s.strip()],
                               by=admin.username)
            except WorkspaceError as exc:
                st.error(t("save_failed", msg=md_escape(exc)))
            else:
                st.session_state["audit-user-done"] = t("user_added", name=name.strip())
                st.rerun()
    locked = store.locked_users()
    if locked:
        st.warning(t("user_locked", names=md_escape(", ".join(
            f"{name} (→ {until.astimezone():%H:%M})" for name, until in locked.items()))))
        c1, c2 = st.columns([3, 1])
        who = c1.selectbox(t("user_unlock"), list(locked), key="ul-name",
                           label_visibility="collapsed")
        if c2.button(t("user_unlock"), key="ul-go"):
            store.unlock_user(who, by=admin.username)
            st.session_state["audit-user-done"] = t("user_unlocked", name=md_escape(who))
            st.rerun()
    with st.expander(t("login_events")):
        st.dataframe(store.login_events(), hide_index=True, width="stretch")
    active = [u.username for u in users if u.active and u.username != admin.username]
    if active:
        c1, c2 = st.columns([3, 1])
        who = c1.selectbox(t("user_disable"), active, key="ud-name",
                           label_visibility="collapsed")
        if c2.button(t("user_disable"), key="ud-go"):
            store.remove_user(who)
            st.session_state["audit-user-done"] = t("user_disabled", name=who)
            st.rerun()


def render_audit(user) -> None:
    store = get_store()
    st.title(t("page_audit"))
    if not store.requires_login:
        st.info(t("audit_files"))
        return
    st.markdown(t("audit_intro"))
    done = st.session_state.pop("audit-restored", None)
    if done:
        st.success(done)
    table = store.audit()
    if table.empty:
        st.info(t("audit_empty"))
    else:
        st.dataframe(table, hide_index=True, width="stretch",
                     column_config={"sha256": st.column_config.TextColumn(width="small")})
        labels = {r.versi: f"{r.waktu} · {r.jenis} · {r.aksi} · {r.oleh} · {r.berkas}"
                  for r in table.itertuples()}
        vid = st.selectbox(t("audit_version"), list(labels), format_func=labels.get,
                           key="audit-version")
        row = table.loc[table["versi"] == vid].iloc[0]
        with st.expander(t("audit_report"), expanded=True):
            st.dataframe(store.report(vid), hide_index=True, width="stretch")
        if row["aksi"] != "hapus" and st.button(t("audit_restore"), key="audit-restore"):
            try:
                v = store.restore(row["jenis"], vid, user=user)
            except WorkspaceError as exc:
                st.error(t("save_failed", msg=md_escape(exc)))
            else:
                _clear_caches()
                st.session_state["audit-restored"] = t("audit_restored",
                                                       label=md_escape(v.label()))
                st.rerun()
    meeting = meeting_store(store).audit()
    if len(meeting):      # agendas and follow-ups of the meetings (Rapat page)
        st.subheader(t("audit_meeting"))
        st.dataframe(meeting, hide_index=True, width="stretch", key="audit-meeting")
    if user is not None and user.is_admin:
        _users_section(store, user)
