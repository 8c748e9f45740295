"""Follow-ups (tindak lanjut) in the dashboard: the form that records one on a view (its
figures of the moment kept), and the list on the Rapat page — filters (region with its
sub-regions, status, office, overdue), "then vs now", overdue flags, updates, CSV/XLSX.

Figures come from the pages' own functions: the values of each period from
components.data.values (the slices the maps show), value and rank from
geo.meeting.figures (geo.stats.ranking.rank_table over the region's siblings)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import auth, data
from components.i18n import fmt_number, lang, plain
from components.views.meeting_text import tx
from geo.codes import level_of, parent_code
from geo.importers.cells import to_csv_bytes, to_xlsx_bytes
from geo.indicators import registry as indicators
from geo.meeting import records
from geo.meeting.figures import Figures
from geo.meeting.store import meeting_store
from geo.store import WorkspaceError


def small_long(pairs) -> pd.DataFrame:
    """The long-table rows ``figures`` needs for (indicator, region) pairs: every period of
    the region's siblings, from the slices the pages use (components.data.values)."""
    parts = []
    for indicator, region in set(pairs):
        if not region or indicator not in indicators.INDICATORS:
            continue
        level, parent = level_of(region), parent_code(region) or None
        for period in data.periods(indicator, level, parent):
            parts.append(data.values(indicator, level, period, parent)
                         .assign(indicator=indicator, level=level, period=period))
    if not parts:
        return pd.DataFrame(columns=["indicator", "code", "level", "period", "value"])
    return pd.concat(parts, ignore_index=True)


def figures_text(f: Figures, indicator: str) -> str:
    """"22,5 % (SSGI 2024), peringkat 2 dari 7" in the visitor's language."""
    if f.nilai is None:
        return tx("no_data")
    ind = indicators.get(indicator)
    text = f"{fmt_number(f.nilai, ind.decimals)} {ind.unit(lang())} ({f.periode})"
    if f.peringkat is not None:
        text += (f", peringkat {f.peringkat} dari {f.dari}" if lang() == "id"
                 else f", rank {f.peringkat} of {f.dari}")
    return text


def can_write() -> bool:
    """File store: anyone; database: a logged-in editor, secretariat or admin."""
    return not auth.login_enabled() or auth.current_user() is not None


def record_form(region: str, indicator: str, period: str, link: str, key: str = "tl") -> None:
    """"Catat tindak lanjut" for the view shown: region (the view's or one on its map),
    decision, office, due date, status, note; the view's figures are stored with it."""
    if not can_write():
        st.caption(tx("login_to_write"))
        return
    done = st.session_state.pop(f"{key}-done", None)
    if done:
        st.success(done)
    names = data.names()
    options = ([region] if region else []) + list(
        data.values(indicator, data.map_level(region) or "provinsi", period, region or None)
        ["code"])[:60]
    options = list(dict.fromkeys(options)) or list(names.index[names.index.str.len() == 2])
    with st.form(f"{key}-form", clear_on_submit=True):
        code = st.selectbox(tx("region"), options, key=f"{key}-region",
                            format_func=lambda c: f"{names.get(c, c)} ({c})")
        isi = st.text_area(tx("isi"), key=f"{key}-isi", max_chars=records.MAX_TEXT["isi"])
        pj = st.text_input(tx("pj"), key=f"{key}-pj", max_chars=records.MAX_TEXT["pj"])
        due = st.date_input(tx("tenggat"), value=dt.date.today() + dt.timedelta(days=30),
                            key=f"{key}-tenggat", format="DD/MM/YYYY")
        status = st.selectbox(tx("status"), records.STATUSES, key=f"{key}-status",
                              format_func=lambda s: tx(f"status_{s}"))
        note = st.text_input(tx("catatan"), key=f"{key}-catatan",
                             max_chars=records.MAX_TEXT["catatan"])
        submitted = st.form_submit_button(tx("save"))
    if submitted:
        try:
            item = records.new_followup(code, indicator, isi, pj, due, status=status,
                                        catatan=note, tautan=link)
            item = records.with_figures(item, small_long([(indicator, code)]), period)
            saved = meeting_store().add_followup(item, user=auth.current_user())
        except WorkspaceError as exc:
            st.error(tx("failed", msg=plain(exc)))
        else:
            st.session_state[f"{key}-done"] = tx("saved", id=saved.id,
                                                 figures=figures_text(saved.then(), indicator))
            st.rerun()


def _status_text(row) -> str:
    text = tx(f"status_{row['status']}")
    return text + (" · " + tx("overdue_mark") if row["terlambat"] else "")


def list_section(region: str) -> None:
    """The Rapat page's list of follow-ups with filters, then vs now, updates, exports."""
    st.subheader(tx("followups"))
    done = st.session_state.pop("tl-update-done", None)
    if done:        # (a closed item may leave the list its filter shows)
        st.success(done)
    names = data.names()
    store = meeting_store()
    items = store.followups()
    c1, c2, c3, c4 = st.columns([2, 2, 2, 1])
    regions = [""] + sorted({region, *(i.wilayah[:k] for i in items
                                       for k in (2, 5) if len(i.wilayah) >= k)} - {""})
    where = c1.selectbox(tx("filter_region"), regions, key="tl-f-region",
                         index=regions.index(region) if region in regions else 0,
                         format_func=lambda c: "Indonesia" if not c else f"{names.get(c, c)}")
    status = c2.multiselect(tx("filter_status"), records.STATUSES, key="tl-f-status",
                            default=list(records.OPEN),
                            format_func=lambda s: tx(f"status_{s}"))
    office = c3.text_input(tx("filter_pj"), key="tl-f-pj", max_chars=100)
    late = c4.checkbox(tx("filter_overdue"), key="tl-f-late")
    chosen = records.select(items, region=where, status=status, pj=office, overdue=late)
    if not chosen:
        st.info(tx("none"))
        return
    table = records.then_now(chosen, small_long((i.indikator, i.wilayah) for i in chosen),
                             names)
    n_late = int(table["terlambat"].sum())
    if n_late:
        st.warning(tx("overdue_n", n=n_late))
    by_id = {i.id: i for i in chosen}
    shown = pd.DataFrame({
        tx("col_id"): table["id"],
        tx("col_wilayah"): table["nama_wilayah"].map(plain),
        tx("col_indikator"): [indicators.get(i).label(lang()) for i in table["indikator"]],
        tx("col_isi"): table["isi"].map(plain), tx("col_pj"): table["pj"].map(plain),
        tx("col_tenggat"): [dt.date.fromisoformat(d).strftime("%d-%m-%Y") for d in table["tenggat"]],
        tx("col_status"): table.apply(_status_text, axis=1),
        tx("col_saat_itu"): [figures_text(by_id[i].then(), by_id[i].indikator)
                             for i in table["id"]],
        tx("col_kini"): [figures_text(Figures(r["nilai_kini"] if pd.notna(r["nilai_kini"])
                                              else None, r["periode_kini"] or None,
                                              *_rank(r["peringkat_kini"])), r["indikator"])
                         for r in table.to_dict("records")],
        tx("col_catatan"): table["catatan"].map(plain),
        tx("col_oleh"): table["dibuat_oleh"].map(plain)})
    # a table that wraps long decisions (readable on a projector); user text as plain text
    st.table(shown.set_index(tx("col_id")))
    c1, c2 = st.columns(2)
    code = lang()       # for people: decimal comma and ";" in the Indonesian UI
    c1.download_button(tx("download_csv"), lambda: to_csv_bytes(table, lang=code),
                       file_name="tindak_lanjut.csv", mime="text/csv", on_click="ignore",
                       key="tl-csv")
    c2.download_button(tx("download_xlsx"), lambda: to_xlsx_bytes(table, "tindak_lanjut"),
                       file_name="tindak_lanjut.xlsx", on_click="ignore", key="tl-xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if can_write():
        _update_form(chosen)


def _rank(text: str) -> tuple[int | None, int | None]:
    parts = str(text or "").split(" dari ")
    return (int(parts[0]), int(parts[1])) if len(parts) == 2 else (None, None)


def _update_form(items) -> None:
    with st.expander(tx("update")):
        by_id = {i.id: i for i in items}
        fid = st.selectbox("#", list(by_id), key="tl-u-id",
                           format_func=lambda i: f"#{i} {by_id[i].isi[:60]} — {by_id[i].pj}")
        item = by_id[fid]
        with st.form("tl-update"):
            status = st.selectbox(tx("status"), records.STATUSES,
                                  index=records.STATUSES.index(item.status), key="tl-u-status",
                                  format_func=lambda s: tx(f"status_{s}"))
            note = st.text_input(tx("catatan"), value=item.catatan, key="tl-u-note",
                                 max_chars=records.MAX_TEXT["catatan"])
            due = st.date_input(tx("tenggat"), value=dt.date.fromisoformat(item.tenggat),
                                key="tl-u-due", format="DD/MM/YYYY")
            submitted = st.form_submit_button(tx("update_save"))
        if submitted:
            try:
                meeting_store().update_followup(
                    fid, lambda i, by: records.changed(i, by=by, status=status, catatan=note,
                                                       tenggat=due),
                    user=auth.current_user(), base_revision=item.revisi)
            except WorkspaceError as exc:
                st.error(tx("failed", msg=plain(exc)))
            else:
                st.session_state["tl-update-done"] = tx("updated", id=fid)
                st.rerun()

