"""Cells that a spreadsheet shows as text: anything user- or file-provided written to CSV or
XLSX goes through here. Text cells that begin with ``= + - @`` (or tab/carriage return) are
prefixed with an apostrophe so Excel/LibreOffice never read them as formulas (CSV/formula
injection); plain numbers such as ``-2.5`` are left alone.
"""
from __future__ import annotations

import io
import re

import pandas as pd

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def neutralize_value(value):
    if isinstance(value, str) and value.startswith(_DANGEROUS_START) \
            and not _PLAIN_NUMBER.match(value.strip()):
        return "'" + value
    return value


def neutralize_cells(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot be read as formulas by Excel/LibreOffice."""
    out = pd.DataFrame(df).copy()
    if "geometry" in out.columns:
        out = pd.DataFrame(out.drop(columns="geometry"))
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            out[col] = s.map(neutralize_value, na_action="ignore").astype(object)
    out.columns = [neutralize_value(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame, *, lang: str | None = None) -> bytes:
    """Neutralised CSV, UTF-8 with BOM (opens correctly in Excel).

    ``lang="id"``: a file for people reading it in an Indonesian spreadsheet — decimal comma
    ("22,1") and ``;`` between columns (the list separator of a spreadsheet whose decimal
    mark is a comma). Without it (the command line, files read by programs) decimal points
    and commas, as every CSV reader expects."""
    buf = io.StringIO()
    if lang == "id":
        neutralize_cells(df).to_csv(buf, index=False, sep=";", decimal=",")
    else:
        neutralize_cells(df).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """Neutralised XLSX; xlsxwriter is told not to turn any string into a formula or URL."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False,
                                                   "strings_to_urls": False}}) as xw:
        neutralize_cells(df).to_excel(xw, sheet_name=sheet[:31], index=False)
    return buf.getvalue()
