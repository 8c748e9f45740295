"""Tables with the numbers of the UI language (Indonesian: decimal comma, thousands dot) and
"–" for a missing value (never None, nan or <NA>), downloadable as CSV and XLSX
(formula-safe).

* ``show_table``: a sortable grid (st.dataframe) for long tables and lists.
* ``show_html_table``: the table below a map — the regions of the view, worst first — as
  one HTML table (issue 29): the grid's code and canvas cost a map page about half a second
  in the browser and a quarter of its server time; a plain table is drawn at once, read
  by screen readers cell by cell, and scrolls in its own frame with its header kept.

Both show the same text for the same cell (``cell_formatter``)."""
from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import streamlit as st

from components.i18n import fmt_number, lang, t
from geo.importers.cells import to_csv_bytes, to_xlsx_bytes

TABLE_CLASS = "pp-table"
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


def cell_formatter(col, s: pd.Series, language: str):
    """How a cell of column ``col`` (values ``s``) is written: "27,9", "1.192", "2024",
    "Ya", "–" for missing."""
    if pd.api.types.is_bool_dtype(s):
        return lambda v: t("yes_cap") if v else t("no_cap")
    if pd.api.types.is_numeric_dtype(s):
        d = _decimals(s)
        if NO_THOUSANDS.search(str(col)) and d == 0:
            return lambda v: "–" if _missing(v) else str(int(v))
        return lambda v, d=d: fmt_number(v, d, language)
    return lambda v: "–" if _missing(v) else v


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
        sty = sty.format(cell_formatter(col, df[col], language), subset=[col])
    return sty


def html_table(df: pd.DataFrame, caption: str, language: str | None = None) -> str:
    """``df`` as one HTML table in a scrolling frame that a keyboard can reach: a caption,
    a header row, numbers right-aligned and written as in ``localized``. Every cell is
    escaped (names come from files)."""
    language = language or lang()
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               for c in df.columns]
    fmts = [cell_formatter(c, df[c], language) for c in df.columns]
    num = " class='num'"
    head = "".join(f"<th scope='col'{num if n else ''}>{html.escape(str(c))}</th>"
                   for c, n in zip(df.columns, numeric))
    rows = []
    for values in zip(*(df[c].tolist() for c in df.columns)):
        cells = "".join(f"<td{num if n else ''}>{html.escape(str(f(v)))}</td>"
                        for v, f, n in zip(values, fmts, numeric))
        rows.append(f"<tr>{cells}</tr>")
    name = html.escape(caption, quote=True)
    return (f"<div class='{TABLE_CLASS}' tabindex='0' role='region' aria-label='{name}'>"
            f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "tabel"


def show_table(df: pd.DataFrame, name: str, key: str, height: int | None = None,
               column_config: dict | None = None) -> None:
    """Sortable table (click a header) plus CSV and XLSX downloads of the same rows."""
    st.dataframe(localized(df), hide_index=True, width="stretch", height=height or "auto",
                 column_config=column_config)
    downloads(df, name, key)


def show_html_table(df: pd.DataFrame, name: str, key: str, caption: str) -> None:
    """The table below a map (``html_table``) plus CSV and XLSX downloads of the same rows."""
    st.markdown(html_table(df, caption), unsafe_allow_html=True)
    downloads(df, name, key)


def downloads(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV (for people: decimal comma and ";" in Bahasa Indonesia) and XLSX of ``df``."""
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


CSS = f"""
.{TABLE_CLASS} {{ max-height: 26rem; overflow: auto; border: 1px solid #d5dbd8;
  border-radius: .4rem; margin: .25rem 0 .5rem 0; }}
.{TABLE_CLASS}:focus {{ outline: 2px solid #0b6e4f; outline-offset: 1px; }}
.{TABLE_CLASS} table {{ border-collapse: collapse; width: 100%; font-size: .9rem;
  margin: 0; }}
.{TABLE_CLASS} caption {{ text-align: left; font-weight: 600; padding: .4rem .6rem;
  caption-side: top; }}
.{TABLE_CLASS} th, .{TABLE_CLASS} td {{ padding: .3rem .6rem; border: 0;
  border-bottom: 1px solid #e3e8e5; text-align: left; vertical-align: top; }}
.{TABLE_CLASS} th {{ position: sticky; top: 0; background: #f1f5f3; font-weight: 600;
  z-index: 1; }}
.{TABLE_CLASS} .num {{ text-align: right; font-variant-numeric: tabular-nums;
  white-space: nowrap; }}
"""
