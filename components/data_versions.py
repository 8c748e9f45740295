"""Kelola Data, "saved data and versions": every saved version of each kind of data, with
restore (a chosen version becomes current again) and back-to-sample (discard), both
version-checked by the store (geo.store); and the cache invalidation after any change
(used by the import flow of components.views.data_import too).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components.i18n import pick, plain
from geo.store import WorkspaceError, get_store

TEXT = {
    "versions": ("Data tersimpan dan versinya", "Saved data and versions"),
    "none_saved": ("Belum ada data yang diimpor; peta memakai data sampel.",
                   "Nothing imported yet; the maps use the sample data."),
    "current": ("dipakai", "in use"),
    "restore": ("Pulihkan versi ini", "Restore this version"),
    "restored": ("Dipulihkan: {label}.", "Restored: {label}."),
    "use_sample": ("Kembali ke data sampel", "Back to the sample data"),
    "version": ("Versi", "Version"),
}


def _t(key: str, **values) -> str:
    return pick(TEXT[key], **values)


def render_versions(user=None) -> None:
    """Every kind with saved versions: its versions, restore one, or go back to the samples."""
    workspace = get_store()
    st.header(_t("versions"))
    restored = st.session_state.pop("import-restored", None)
    if restored:
        st.success(restored)
    any_saved = False
    for kind in workspace.kinds:
        versions = workspace.list_versions(kind)
        if not versions:
            continue
        any_saved = True
        cur = workspace.current(kind)
        st.markdown(f"**{plain(workspace.kind_labels[kind])}**")
        table = pd.DataFrame({
            _t("version"): [v.version for v in versions],
            "nama": [v.name for v in versions],
            "diimpor": [v.imported_at.replace("T", " ")[:16] for v in versions],
            "baris": [v.rows for v in versions],
            "status": [_t("current") if cur and v.version == cur.version else ""
                       for v in versions],
        })
        st.dataframe(table, hide_index=True, width="stretch")
        c1, c2, c3 = st.columns([3, 1, 1])
        pick = c1.selectbox(_t("version"), [v.version for v in versions],
                            format_func=lambda name, vs=versions: next(
                                v.label() for v in vs if v.version == name),
                            key=f"ver-{kind}", label_visibility="collapsed")
        seen = st.session_state.setdefault(f"ver-seen-{kind}", cur.version if cur else "")
        if c2.button(_t("restore"), key=f"restore-{kind}"):
            try:
                v = workspace.restore(kind, pick, user=user, base_version=seen)
            except WorkspaceError as exc:
                st.session_state.pop(f"ver-seen-{kind}", None)   # reviewed on the rerun
                st.error(plain(str(exc)))
            else:
                clear_caches(kind)
                st.session_state[f"ver-seen-{kind}"] = v.version
                # Rerun so the table above marks the restored version "dipakai".
                st.session_state["import-restored"] = _t("restored", label=plain(v.label()))
                st.rerun()
        if cur is not None and c3.button(_t("use_sample"), key=f"discard-{kind}"):
            try:
                workspace.discard(kind, user=user, base_version=seen)
            except WorkspaceError as exc:
                st.session_state.pop(f"ver-seen-{kind}", None)
                st.error(plain(str(exc)))
            else:
                clear_caches(kind)
                st.session_state[f"ver-seen-{kind}"] = ""
                st.rerun()
    if not any_saved:
        st.info(_t("none_saved"))


def clear_caches(kind: str) -> None:
    """The maps read the workspace through cached loaders: drop those that depend on the
    kind just changed (not every cache: a new registry keeps the drawn boundaries)."""
    from components import data
    data.invalidate(kind)
