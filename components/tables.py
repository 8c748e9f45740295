"""The table below each map: sortable, downloadable as CSV and XLSX (formula-safe)."""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from components.i18n import t
from geo.importers.cells import to_csv_bytes, to_xlsx_bytes


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "tabel"


def show_table(df: pd.DataFrame, name: str, key: str, height: int | None = None,
               column_config: dict | None = None) -> None:
    """Sortable table (click a header) plus CSV and XLSX downloads of the same rows."""
    st.dataframe(df, hide_index=True, width="stretch", height=height or "auto",
                 column_config=column_config)
    c1, c2, _ = st.columns([1, 1, 4])
    slug = _slug(name)
    # The files are made when a button is clicked (a callable), not on every script run:
    # building an XLSX of every table on every view cost a map page ~0.1-0.3 s of CPU.
    c1.download_button(t("download_csv"), lambda: to_csv_bytes(df), file_name=f"{slug}.csv",
                       mime="text/csv", key=f"{key}-csv", on_click="ignore")
    c2.download_button(t("download_xlsx"), lambda: to_xlsx_bytes(df, sheet=name[:31] or "data"),
                       file_name=f"{slug}.xlsx", key=f"{key}-xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
