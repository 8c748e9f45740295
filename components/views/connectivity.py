"""Konektivitas page pieces: the honest notes on published blank-spot and no-signal figures,
and the sortable list of Posyandu without internet with its downloads."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data
from components.i18n import fmt_number, t
from components.tables import localized
from geo.connectivity import offline as connectivity

LIST_COLUMNS = {"id": "col_id", "nama": "col_nama", "desa": "col_desa",
                "kecamatan": "col_kecamatan", "kabupaten": "col_kabupaten",
                "provinsi": "col_provinsi", "kode_desa": "col_kode_desa", "lon": "col_lon",
                "lat": "col_lat", "balita_sasaran": "col_balita", "jumlah_kader": "col_kader",
                "desa_blank_spot": "col_blank_desa", "blankspot_kabupaten": "col_blank_kab",
                "blankspot_sumber": "col_blank_src"}


def offline_table(region: str) -> pd.DataFrame:
    """Posyandu without internet of a region (geo.connectivity.offline), cached per data
    version and region: an import (in any process) reaches the list, the plan and their
    downloads on the next rerun."""
    return _offline_table(data.data_version("posyandu", "batas"), region)


@st.cache_resource(max_entries=32, show_spinner=False)
def _offline_table(dv: str, region: str) -> pd.DataFrame:
    return connectivity.offline_posyandu(data.joined(), region or None, data.names())


@st.cache_resource(show_spinner=False)
def _blankspot_lists() -> pd.DataFrame:
    return connectivity.blankspot_lists()


@st.cache_resource(show_spinner=False)
def _no_signal() -> pd.DataFrame:
    return connectivity.no_signal_context()


def blankspot_note(region: str) -> None:
    """What the Diskominfo blank-spot figures cover for the selected region's province
    (or every province for Indonesia) — read from the data, so it cannot contradict it."""
    lists = _blankspot_lists()
    prov = region.split(".")[0] if region else ""
    rows = lists.loc[lists["code"] == prov] if prov else lists
    lines = []
    for r in rows.itertuples():
        values = dict(province=data.region_name(r.code), period=r.period,
                      n=fmt_number(r.value, 0))
        if r.complete:
            lines.append(t("blankspot_complete", **values))
        else:
            lines.append(t("blankspot_partial", listed=r.regencies_listed,
                           total=r.regencies_total, sum=fmt_number(r.regency_sum, 0), **values))
    if not lines:
        lines.append(t("blankspot_none"))
    st.info("  \n".join(lines + [t("blankspot_definition")]))


def no_signal_note() -> None:
    ctx = _no_signal()
    nat = ctx.loc[ctx["level"] == "national"]
    if nat.empty:
        return
    st.info(t("no_signal_note", year=int(nat["year"].iloc[0]),
              n=fmt_number(nat["value"].iloc[0], 0),
              listed=int((ctx["level"] == "province").sum())) + "  \n"
            + t("blankspot_definition"))


def download_row(table: pd.DataFrame, slug: str, key: str, sheet: str) -> None:
    """CSV, XLSX and GeoJSON downloads of a table with lon/lat."""
    cols = st.columns([1, 1, 1, 3])
    mimes = {".csv": "text/csv", ".geojson": "application/geo+json",
             ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    labels = {".csv": "download_csv", ".xlsx": "download_xlsx", ".geojson": "download_geojson"}
    for col, suffix in zip(cols, connectivity.EXPORT_FORMATS):
        col.download_button(t(labels[suffix]),   # made on click, not on every run
                            lambda s=suffix: connectivity.export_bytes(table, s, sheet=sheet),
                            file_name=f"{slug}{suffix}", mime=mimes[suffix],
                            key=f"{key}-{suffix[1:]}", on_click="ignore")


def labelled(table: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The table with its columns named in the current language (for display only)."""
    return table.rename(columns={c: t(k) for c, k in columns.items()})


def offline_section(region: str) -> pd.DataFrame:
    """The list of Posyandu without internet of the region, sortable, with downloads."""
    table = offline_table(region)
    st.header(t("offline_title", region=data.region_name(region)))
    balita = pd.to_numeric(table["balita_sasaran"], errors="coerce").sum()
    st.caption(t("offline_count", n=fmt_number(len(table), 0), balita=fmt_number(balita, 0)))
    shown = table.assign(desa_blank_spot=table["desa_blank_spot"].map(
        lambda v: "–" if pd.isna(v) else (t("yes") if v else t("no"))))
    st.dataframe(localized(labelled(shown, LIST_COLUMNS)), hide_index=True, width="stretch",
                 height=320)
    st.caption(t("offline_village_note"))
    slug = f"posyandu-tanpa-internet-{(region or 'indonesia').replace('.', '-')}"
    download_row(table, slug, key="offline", sheet="tanpa_internet")
    return table


def page_notes(region: str, indicator: str) -> None:
    """The note that goes with the indicator shown on the map."""
    if indicator == "desa_blankspot":
        blankspot_note(region)
    elif indicator == "desa_tanpa_sinyal":
        no_signal_note()
