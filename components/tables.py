"""The table below each map: sortable, downloadable as CSV and XLSX (formula-safe), shown
with the numbers of the UI language (Indonesian: decimal comma, thousands dot) and "–" for
a missing value (never None, nan or <NA>)."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import streamlit as st

from components.i18n import fmt_number, lang, t
from geo.importers.cells import to_csv_bytes, to_xlsx_bytes

STYLE_MAX_CELLS = 200_000   # larger tables are shown unstyled (Styler renders every cell)
NO_THOUSANDS = re.compile(r"tahun|year|kode|code|^id$", re.I)   # integers read as labels


def _missing(v) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _decimals(s: pd.Series, most: int = 4) -> int:
    """The fewest decimals that show every value of a numeric column exactly (at most
    ``most``): a column rounded to 1 decimal shows 1."""
    x = pd.to_numeric(s, errors="coerce").dropna().to_numpy(dtype=float)
    x = x[np.isfinite(x)]
    for d in range(most + 1):
        if np.allclose(np.round(x, d), x, rtol=0, atol=1e-9):
            return d
    return most


def localized(df: pd.DataFrame, language: str | None = None):
    """``df`` as a pandas Styler whose shown values are written as people write them in
    ``language`` (the sort still uses the numbers): "27,9", "1.192", "–" for missing."""
    language = language or lang()
    if df.size > STYLE_MAX_CELLS or not df.columns.is_unique:
        return df
    if not df.index.is_unique:        # a Styler needs unique labels (the index is hidden)
        df = df.reset_index(drop=True)
    sty = df.style
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_bool_dtype(s):
            sty = sty.format(lambda v: t("yes_cap") if v else t("no_cap"), subset=[col])
        elif pd.api.types.is_numeric_dtype(s):
            d = _decimals(s)
            if NO_THOUSANDS.search(str(col)) and d == 0:
                sty = sty.format(lambda v: "–" if _missing(v) else str(int(v)), subset=[col])
            else:
                sty = sty.format(lambda v, d=d: fmt_number(v, d, language), subset=[col])
        else:
            sty = sty.format(lambda v: "–" if _missing(v) else v, subset=[col])
    return sty


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "tabel"


def show_table(df: pd.DataFrame, name: str, key: str, height: int | None = None,
               column_config: dict | None = None) -> None:
    """Sortable table (click a header) plus CSV and XLSX downloads of the same rows."""
    st.dataframe(localized(df), hide_index=True, width="stretch", height=height or "auto",
                 column_config=column_config)
    c1, c2, _ = st.columns([1, 1, 4])
    slug = _slug(name)
    # The files are made when a button is clicked (a callable), not on every script run:
    # building an XLSX of every table on every view cost a map page ~0.1-0.3 s of CPU.
    code = lang()       # for people: decimal comma and ";" in the Indonesian UI
    c1.download_button(t("download_csv"), lambda: to_csv_bytes(df, lang=code),
                       file_name=f"{slug}.csv",
                       mime="text/csv", key=f"{key}-csv", on_click="ignore")
    c2.download_button(t("download_xlsx"), lambda: to_xlsx_bytes(df, sheet=name[:31] or "data"),
                       file_name=f"{slug}.xlsx", key=f"{key}-xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
