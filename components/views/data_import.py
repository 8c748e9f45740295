"""Kelola Data: upload a file, map its columns, read the report, save it to the workspace
(the saved versions and their restore are components.data_versions). All the work is done
by geo.importers and geo.workspace (the same code as ``python -m geo import``); this module
is only the widgets.

User-provided text (file names, column headers, sheet names, cell values) is shown through
st.dataframe/st.text or escaped for Markdown (components.i18n.plain), never as Markdown or
HTML: a column header ``![x](http://host/p.png)`` is a label, not an image.

Saves are version-checked (geo.workspace): the page remembers the version in use when the
file was read, and a save made by someone else in between is named, not overwritten; the
user reviews it and saves again explicitly. A save clears only the caches that depend on
the saved kind (components.data.invalidate).
"""
from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from components.data_versions import clear_caches, render_versions
from components.i18n import fmt_number, lang, pick, plain, t
from components.import_progress import progress_bar
from components.kpi import Kpi, show_kpis
from geo.codes import LABEL, LEVELS
from geo.importers.safety import EXTENSIONS, max_upload_bytes
from geo.store import WorkspaceConflict, WorkspaceError, get_store

TEXT = {
    "title": ("Kelola Data", "Manage Data"),
    "intro": ("Unggah data sendiri: registri Posyandu (CSV/XLSX), batas wilayah (GeoJSON, "
              "Shapefile dalam zip, GeoPackage, KML), tabel indikator, atau zona bahaya. "
              "Baris yang bermasalah dilaporkan satu per satu; baris yang baik tetap diimpor.",
              "Upload your own data: Posyandu registry (CSV/XLSX), boundaries (GeoJSON, zipped "
              "Shapefile, GeoPackage, KML), indicator tables or hazard zones. Every problem row "
              "is reported; good rows are imported anyway."),
    "kind": ("Jenis data", "Kind of data"),
    "level": ("Tingkat wilayah", "Administrative level"),
    "parent": ("Kode wilayah induk (opsional, mis. 62 atau 62.71)",
               "Parent region code (optional, e.g. 62 or 62.71)"),
    "parent_names_agg": ("Wilayah induk untuk mencocokkan nama wilayah (kode, opsional)",
                         "Parent region for matching region names (code, optional)"),
    "parent_names": ("Wilayah induk untuk mencocokkan nama desa (kode, opsional, mis. 62.71)",
                     "Parent region for matching village names (code, optional, e.g. 62.71)"),
    "crs": ("Sistem koordinat bila berkas tanpa .prj (opsional, mis. EPSG:32750)",
            "CRS when the file has no .prj (optional, e.g. EPSG:32750)"),
    "jenis": ("Jenis bahaya berkas ini (InaRISK)", "Hazard type of this file (InaRISK)"),
    "jenis_auto": ("(dari kolom jenis atau nama berkas)", "(from a type field or the file name)"),
    "breaks": ("Ambang kelas indeks 0–1 (opsional, bawaan 0.333,0.666)",
               "Index class breaks 0–1 (optional, default 0.333,0.666)"),
    "indikator": ("Nama indikator bila tabel tidak punya kolomnya (opsional)",
                  "Indicator name when the table has no such column (optional)"),
    "upload": ("Pilih berkas (maks. {mb} MB)", "Choose a file (max. {mb} MB)"),
    "too_big": ("Berkas terlalu besar ({size} MB); batas unggahan {mb} MB.",
                "File too large ({size} MB); the upload limit is {mb} MB."),
    "mapping": ("Pemetaan kolom", "Column mapping"),
    "mapping_help": ("Beberapa kolom wajib tidak dikenali dari judulnya. Pilih kolom berkas "
                     "yang berisi setiap data, lalu tekan 'Terapkan pemetaan'.",
                     "Some required columns were not recognised. Choose the file column for "
                     "each field, then press 'Apply mapping'."),
    "ignore": ("(abaikan)", "(ignore)"),
    "apply_mapping": ("Terapkan pemetaan", "Apply mapping"),
    "counts_name": ("Hasil pemeriksaan berkas", "What the check of the file found"),
    "accepted": ("Diterima", "Accepted"),
    "repaired": ("Diperbaiki", "Repaired"),
    "rejected": ("Ditolak", "Rejected"),
    "warnings": ("Peringatan", "Warnings"),
    "fatal": ("Berkas tidak dapat diimpor: {msg}", "The file cannot be imported: {msg}"),
    "report": ("Laporan impor", "Import report"),
    "no_problems": ("Semua baris diterima tanpa perubahan.", "Every row accepted unchanged."),
    "download_report": ("Unduh laporan (CSV)", "Download report (CSV)"),
    "notes": ("Keterangan berkas", "About the file"),
    "preview": ("Pratinjau data yang diterima", "Preview of the accepted data"),
    "suggestions": ("Saran kode desa (dari nama desa) — belum diterapkan",
                    "Village code suggestions (from village names) — not applied"),
    "apply_suggestions": ("Terapkan saran untuk baris terpilih",
                          "Apply the suggestions of the selected rows"),
    "rows": ("Baris", "Rows"),
    "save": ("Simpan dan pakai data ini", "Save and use this data"),
    "saved": ("Tersimpan: {label}. Peta kini memakai data ini.",
              "Saved: {label}. The maps now use this data."),
    "saved_boundaries": ("Tersimpan: {label}. Peta, penggabungan Posyandu dan indikator kini "
                         "memakai batas ini untuk provinsi {provinces}.",
                         "Saved: {label}. Maps, the Posyandu join and the indicators now use "
                         "these boundaries for province(s) {provinces}."),
    "conflict_retry": ("Saya sudah meninjau; simpan data saya", "I have reviewed it; save mine"),
    "sheet": ("Lembar (sheet) yang dibaca", "Sheet to read"),
    "nothing": ("Tidak ada baris yang dapat diimpor.", "No row could be imported."),
}
KINDS = {
    "posyandu": ("Registri Posyandu (CSV/XLSX)", "Posyandu registry (CSV/XLSX)"),
    "batas": ("Batas wilayah (GeoJSON, Shapefile zip, GPKG, KML)",
              "Boundaries (GeoJSON, zipped Shapefile, GPKG, KML)"),
    "indikator": ("Tabel indikator (CSV/XLSX)", "Indicator table (CSV/XLSX)"),
    "agregat": ("Tabel jumlah per kecamatan/desa (CSV/XLSX)",
                "Counts per district/village (CSV/XLSX)"),
    "bahaya": ("Zona bahaya (InaRISK/BPBD)", "Hazard zones (InaRISK/BPBD)"),
}


SAVE_PROGRESS_ROWS = 10_000     # a save of this many rows shows its progress bar


def _t(key: str, **values) -> str:
    return pick(TEXT[key], **values)


md_escape = plain   # (kept name) text safe in Markdown, see components.i18n.plain


def _safe_name(name: str) -> str:
    base = Path(str(name).replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._ -]", "_", base).strip(" .") or "berkas"
    return base[:120]


def _run_import(kind: str, path: Path, source: str, options: dict, progress=None):
    """The importer's result object (has .data and .report); ``progress`` gets the rows
    read and checked of a registry (components.import_progress)."""
    if kind == "posyandu":
        from geo.importers.posyandu import import_posyandu
        return import_posyandu(path, mapping=options.get("mapping"), source_name=source,
                               parent=options.get("parent") or None,
                               sheet=options.get("sheet"), progress=progress)
    if kind == "batas":
        from geo.importers.boundaries import import_boundaries
        return import_boundaries(path, options["level"], parent=options.get("parent") or None,
                                 crs=options.get("crs") or None, source_name=source)
    if kind == "agregat":
        from geo.importers.aggregates import import_aggregates
        return import_aggregates(path, parent=options.get("parent") or None, source_name=source)
    if kind == "indikator":
        from geo.importers.indicators import import_indicators
        return import_indicators(path, indicator=options.get("indikator") or None,
                                 mapping=options.get("mapping"), source_name=source,
                                 sheet=options.get("sheet"))
    from geo.hazards.importer import import_hazards
    from geo.hazards.types import parse_breaks
    try:
        breaks = parse_breaks(options["breaks"]) if options.get("breaks") else None
    except ValueError as exc:
        from geo.hazards.importer import HazardImport, _empty
        from geo.importers.report import ImportReport
        return HazardImport(_empty(), ImportReport.refused("bahaya", source, str(exc)), {})
    return import_hazards(path, jenis=options.get("jenis") or None,
                          crs=options.get("crs") or None, source_name=source, breaks=breaks)


def _workspace_kind(kind: str, options: dict) -> str:
    return f"batas_{options['level']}" if kind == "batas" else kind


def _mapping_step(result, kind: str, key: str) -> dict | None:
    """Selectboxes mapping each file column to a field; returns the mapping when applied."""
    header = getattr(result, "header", None)
    if header is None or not header.columns:
        return None
    if kind == "posyandu":
        from geo.importers.posyandu_columns import FIELD_LABELS, FIELDS
        fields = list(FIELDS)
        labels = FIELD_LABELS
    else:
        from geo.importers.indicators import FIELDS
        fields = list(FIELDS)
        labels = {f: f for f in fields}
    needs = bool(getattr(result, "needs_mapping", False))
    with st.expander(_t("mapping"), expanded=needs):
        if needs:
            st.warning(_t("mapping_help"))
        options = [None, *fields]
        choice = {}
        for col in header.columns:
            current = col.field if col.field in fields else None
            choice[col.label] = st.selectbox(
                plain(col.label, 200), options, index=options.index(current),
                format_func=lambda f: _t("ignore") if f is None else f"{labels.get(f, f)} ({f})",
                key=f"{key}-map-{col.index}")
        if st.button(_t("apply_mapping"), key=f"{key}-apply-map"):
            return choice
    return None


def _show_report(result, key: str) -> None:
    rep = result.report
    if rep.fatal:
        st.error(_t("fatal", msg=md_escape(rep.fatal)))
    c = rep.counts
    show_kpis([Kpi(_t(label), fmt_number(c[count], 0)) for label, count in (
        ("accepted", "diterima"), ("repaired", "diperbaiki"), ("rejected", "ditolak"),
        ("warnings", "peringatan"))], _t("counts_name"))
    if rep.notes:
        with st.expander(_t("notes")):
            for note in rep.notes:
                st.text(note)
    st.header(_t("report"))
    if rep.problems.empty and not rep.fatal:
        st.success(_t("no_problems"))
    else:
        st.dataframe(rep.to_frame(), hide_index=True, width="stretch",
                     column_config={"baris": st.column_config.NumberColumn(format="%d")})
    st.download_button(_t("download_report"), rep.to_csv().encode("utf-8-sig"),
                       file_name=f"laporan-impor-{_safe_name(Path(rep.source).stem)}.csv",
                       mime="text/csv", key=f"{key}-report-csv")


def _suggestions_step(result, key: str):
    sug = getattr(result, "suggestions", None)
    if sug is None or sug.empty:
        return result
    st.header(_t("suggestions"))
    st.dataframe(sug, hide_index=True, width="stretch")
    rows = st.multiselect(_t("rows"), sug["baris"].tolist(), key=f"{key}-sug-rows",
                          select_all=False)
    if rows and st.button(_t("apply_suggestions"), key=f"{key}-sug-apply"):
        from geo.importers.posyandu import apply_suggestions
        return apply_suggestions(result, rows)
    return result


def _sheet_choice(kind: str, key: str, data: bytes, name: str) -> str | None:
    """A sheet picker for workbooks with several sheets (the first may be instructions)."""
    if kind not in ("posyandu", "indikator") or not name.lower().endswith(".xlsx"):
        return None
    skey = f"{key}-sheets"
    if skey not in st.session_state:
        from geo.importers.report import ImportRefused
        from geo.importers.table import sheet_names
        try:
            with tempfile.TemporaryDirectory(prefix="peta-upload-") as tmp:
                path = Path(tmp) / "book.xlsx"
                path.write_bytes(data)
                st.session_state[skey] = sheet_names(path)
        except (ImportRefused, OSError):
            st.session_state[skey] = []      # the import itself reports why
    names = st.session_state[skey]
    if len(names) < 2:
        return None
    return st.selectbox(_t("sheet"), names, key=f"{key}-sheet")


def _save(result, kind: str, ws_kind: str, key: str, base: str | None, user) -> None:
    """Save through the store in use, based on the version the user saw (``base``); a
    save that happened in between is named and the user may review and retry."""
    save_args = dict(name=result.report.source, source=result.report.source,
                     base_version=base, user=user,
                     source_sha256=st.session_state.get("import-sha256"))
    try:
        if kind == "bahaya":      # replaces only the hazard types of this file
            from geo.hazards.store import save_import
            v = save_import(result, **save_args)
        else:
            rows = len(result.data)
            update, close = progress_bar() if rows >= SAVE_PROGRESS_ROWS else (None, None)
            if update is not None:
                update("simpan", 0, rows)
            try:
                v = get_store().save(ws_kind, result.data, report=result.report, **save_args)
            finally:
                if close is not None:
                    close()
    except WorkspaceConflict as exc:
        # retrying means basing the save on the version now in use (named in the message)
        st.session_state[f"{key}-conflict"] = exc.current.version if exc.current else ""
        st.error(plain(str(exc)))
        return
    except WorkspaceError as exc:
        st.error(t("save_failed", msg=md_escape(exc)))
        return
    st.session_state.pop(f"{key}-conflict", None)
    st.session_state[f"{key}-base"] = v.version
    st.session_state[f"ver-seen-{ws_kind}"] = v.version
    clear_caches(ws_kind)
    if ws_kind.startswith("batas_"):
        from geo.regions import boundaries as regions
        provinces = regions.saved_boundary_provinces(ws_kind.removeprefix("batas_"))
        st.success(_t("saved_boundaries", label=md_escape(v.label()),
                      provinces=md_escape(", ".join(provinces))))
    else:
        st.success(_t("saved", label=md_escape(v.label())))


def render_data_import(user=None) -> None:
    """The page; ``user`` is the logged-in editor (None with the file store)."""
    store = get_store()
    st.title(_t("title"))
    st.markdown(_t("intro"))
    if user is not None:
        scope = ", ".join(user.scope) or t("all_regions")
        st.caption(t("logged_in_as", name=user.username, role=user.role, scope=scope)
                   + " " + (t("scope_note", scope=scope) if user.scope else ""))
    kind = st.radio(_t("kind"), list(KINDS), format_func=lambda k: KINDS[k][0 if lang() == "id"
                                                                               else 1],
                    horizontal=True, key="import-kind")
    options: dict = {}
    if kind == "batas":
        c1, c2, c3 = st.columns(3)
        options["level"] = c1.selectbox(_t("level"), LEVELS, index=1,
                                        format_func=lambda lv: LABEL[lang()][lv],
                                        key="import-level")
        options["parent"] = c2.text_input(_t("parent"), key="import-parent").strip()
        options["crs"] = c3.text_input(_t("crs"), key="import-crs").strip()
    elif kind == "bahaya":
        from geo.hazards import types as hazard_types
        c1, c2, c3 = st.columns(3)
        options["jenis"] = c1.selectbox(
            _t("jenis"), ["", *hazard_types.ORDER], key="import-jenis",
            format_func=lambda j: hazard_types.label(j, lang()) if j else _t("jenis_auto"))
        options["crs"] = c2.text_input(_t("crs"), key="import-crs-h").strip()
        options["breaks"] = c3.text_input(_t("breaks"), key="import-breaks").strip()
    elif kind == "indikator":
        options["indikator"] = st.text_input(_t("indikator"), key="import-indikator").strip()
    elif kind == "agregat":
        options["parent"] = st.text_input(_t("parent_names_agg"), value=st.session_state.get(
            "region", ""), key="import-parent-agregat").strip()
    elif kind == "posyandu":
        # village names are matched to codes within this region (the selected one by default)
        options["parent"] = st.text_input(_t("parent_names"), value=st.session_state.get(
            "region", ""), key="import-parent-posyandu").strip()
    limit = max_upload_bytes()
    exts = [e.lstrip(".") for e in EXTENSIONS["indikator" if kind == "agregat" else kind]]
    upload = st.file_uploader(_t("upload", mb=limit // 2 ** 20), type=exts, key=f"upload-{kind}")
    if upload is None:
        render_versions(user)
        return
    if upload.size > limit:
        st.error(_t("too_big", size=f"{upload.size / 2 ** 20:.0f}", mb=limit // 2 ** 20))
        render_versions(user)
        return
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:16]
    key = f"imp-{kind}-{digest}"
    sheet = _sheet_choice(kind, key, data, upload.name)
    if sheet:
        options["sheet"] = sheet
    mapping = st.session_state.get(f"{key}-mapping")
    if mapping:
        options["mapping"] = mapping
    run_key = f"{key}-{sorted((k, str(v)) for k, v in options.items())}"
    ws_kind = _workspace_kind(kind, options)
    if st.session_state.get("import-run-key") != run_key:
        source = _safe_name(upload.name)
        try:
            with tempfile.TemporaryDirectory(prefix="peta-upload-") as tmp:
                path = Path(tmp) / source
                path.write_bytes(data)
                # the version this import is based on: taken before reading (a save after
                # someone else's change to the same region is refused, not overwritten)
                base = store.base_version(ws_kind, user)
                update, close = progress_bar() if kind == "posyandu" else (None, None)
                with st.spinner("Membaca berkas …" if lang() == "id" else
                                "Reading the file …"):
                    result = _run_import(kind, path, source, options, update)
                    if close is not None:
                        close()
                    if user is not None and user.scope:
                        from geo.store.scope import apply_scope
                        result.data, result.report = apply_scope(
                            _workspace_kind(kind, options), result.data, result.report,
                            list(user.scope))
        except OSError as exc:
            from geo.messages import is_storage_error, upload_failed
            if not is_storage_error(exc):
                raise
            st.error(plain(upload_failed(exc)))     # the server's disk: full, read-only…
            return
        st.session_state[f"{key}-base"] = base
        st.session_state["import-sha256"] = hashlib.sha256(data).hexdigest()
        st.session_state["import-run-key"] = run_key
        st.session_state["import-result"] = result
    result = st.session_state["import-result"]

    if kind in ("posyandu", "indikator"):
        chosen = _mapping_step(result, kind, key)
        if chosen is not None:
            st.session_state[f"{key}-mapping"] = chosen
            st.rerun()
    if kind == "posyandu":
        new = _suggestions_step(result, key)
        if new is not result:
            st.session_state["import-result"] = result = new
    _show_report(result, key)
    if result.report.ok:
        with st.expander(_t("preview")):
            preview = pd.DataFrame(result.data.drop(columns="geometry", errors="ignore")).head(200)
            st.dataframe(preview, hide_index=True, width="stretch")
        base = st.session_state.get(f"{key}-base")
        if st.button(_t("save"), type="primary", key=f"{key}-save"):
            _save(result, kind, ws_kind, key, base, user)
        conflict = st.session_state.get(f"{key}-conflict")
        if conflict is not None and st.button(_t("conflict_retry"), key=f"{key}-retry"):
            # an explicit decision after reviewing the named save: based on it now
            _save(result, kind, ws_kind, key, conflict, user)
    else:
        st.warning(_t("nothing"))
    render_versions(user)


__all__ = ["render_data_import", "md_escape"]
