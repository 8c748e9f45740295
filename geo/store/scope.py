"""Region scopes of editors: which rows of an import an editor may change.

A scope is a list of Kemendagri codes (``62.03``, ``62.71.01``); a row is inside when its
region code equals one of them or lies under it (``62.03.05.2001`` is under ``62.03``).
Rows outside are refused and named in the import report; the rows inside are kept.
"""
from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.codes import normalize_code
from geo.registry.cells import per_value

#: column holding each row's region code, per kind
REGION_COLUMN = {"posyandu": "kode_desa", "indikator": "code", "batas_provinsi": "code",
                 "batas_kabupaten": "code", "batas_kecamatan": "code", "batas_desa": "code"}


def in_scope(code, scope) -> bool:
    if code is None or code is pd.NA or (isinstance(code, float) and code != code):
        return False
    code = str(code)
    return any(code == s or code.startswith(s + ".") for s in scope)


def scope_text(scope) -> str:
    return ", ".join(scope) if scope else "semua wilayah"


def region_codes(kind: str, data) -> pd.Series:
    """Each row's region code (None when unknown). Posyandu without a village code are
    placed by their point (geo.registry.join)."""
    col = REGION_COLUMN.get(kind)
    if col is None or col not in data.columns:
        return pd.Series([None] * len(data), index=data.index, dtype=object)
    raw = data[col].to_numpy(dtype=object)
    codes = pd.Series(per_value(raw, lambda v: normalize_code(v)
                                if isinstance(v, str) and v.strip() else None),
                      index=data.index, dtype=object)     # once per distinct code
    if kind == "posyandu" and codes.isna().any() and isinstance(data, gpd.GeoDataFrame):
        missing = codes.isna()
        from geo.registry.join import join
        placed = join(data.loc[missing])
        codes.loc[missing] = placed["kode_agregasi"].astype(object).where(
            placed["kode_agregasi"].notna(), None).to_numpy()
    return codes.astype(object)


def apply_scope(kind: str, data, report, scope):
    """(data, report) keeping only rows inside ``scope``; each refused row is named in the
    report (``ditolak``). ``scope`` empty/None = every region (nothing refused)."""
    if not scope or data is None or not len(data):
        return data, report
    codes = region_codes(kind, data)
    inside = codes.map(lambda c: in_scope(c, scope)).astype(bool)
    if inside.all():
        return data, report
    from geo.importers.report import REJECTED, ImportReport, finding
    rows = data["baris"] if "baris" in data.columns else pd.Series(range(1, len(data) + 1),
                                                                  index=data.index)
    out_rows = [int(r) for r in rows[~inside]]
    findings = [finding(int(r), REGION_COLUMN.get(kind, ""), c or "",
                        f"wilayah {c or 'tidak diketahui'} di luar wilayah kewenangan Anda "
                        f"({scope_text(scope)}); baris tidak diimpor", REJECTED)
                for r, c in zip(rows[~inside], codes[~inside])]
    if report is not None:
        accepted = [r for r in report.accepted_rows if r not in set(out_rows)]
        report = ImportReport.build(report.kind, report.source, report.total, accepted,
                                    report.problems.to_dict("records") + findings,
                                    report.notes, report.fatal)
    return data.loc[inside.to_numpy()], report
