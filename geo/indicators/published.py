"""Published indicator tables of the data directory, in the project's long shape.

Columns: indicator, code, level, period, year, value, source, source_url, note.
Nothing is interpolated: a region without a published value has no row.
"""
from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from geo.codes import LEVEL_FROM_FILE
from geo.config import INDICATOR_DIR, data_dir, read_text_table

LONG_COLUMNS = ["indicator", "code", "level", "period", "year", "value", "source",
                "source_url", "note"]
# Surveys before the 2022 Papua split used the 34-province geography: their codes 91 and 92
# cover today's 91, 92, 93, 94, 95 and 96 (README of the data directory, §1 and §3).
PAPUA_OLD = {"91": ("91", "93", "94", "95"), "92": ("92", "96")}
PAPUA_NEW = ("93", "94", "95", "96")
PAPUA_SPLIT_YEAR = 2022


@functools.lru_cache(maxsize=16)
def _read(root: str, name: str) -> pd.DataFrame:
    path = Path(root) / INDICATOR_DIR / name
    if not path.exists():
        return pd.DataFrame()
    return read_text_table(path)


@functools.lru_cache(maxsize=4)
def _table(root: str) -> pd.DataFrame:
    frames = []
    st = _read(root, "stunting_province.csv")
    if len(st):
        st = st.loc[st["province_code"] != "00"]
        frames.append(pd.DataFrame({
            "indicator": "stunting", "code": st["province_code"], "level": "provinsi",
            "period": st["survey"], "year": st["year"], "value": st["stunting_pct"],
            "source": st["source"], "source_url": st["source_url"], "note": st["note"]}))
    sr = _read(root, "stunting_regency_reported.csv")
    if len(sr):
        frames.append(pd.DataFrame({
            "indicator": "stunting", "code": sr["regency_code"], "level": "kabupaten",
            "period": sr["survey"], "year": sr["year"], "value": sr["stunting_pct"],
            "source": sr["source"], "source_url": sr["source_url"], "note": sr["note"]}))
    bs = _read(root, "internet_blankspot_reported.csv")
    if len(bs):
        bs = bs.loc[(bs["metric"] == "villages_blankspot") & bs["level"].isin(["province", "regency"])]
        frames.append(pd.DataFrame({
            "indicator": "desa_blankspot", "code": bs["code"],
            "level": bs["level"].map(LEVEL_FROM_FILE), "period": "Diskominfo " + bs["year"],
            "year": bs["year"], "value": bs["value"], "source": bs["source"],
            "source_url": bs["source_url"], "note": bs["note"]}))
    if len(bs):
        # BPS villages without cellular signal: the latest year only (2021 used the
        # 34-province geography); only the provinces the source lists have a row.
        bs_all = _read(root, "internet_blankspot_reported.csv")
        sig = bs_all.loc[(bs_all["metric"] == "villages_no_cellular_signal")
                         & (bs_all["level"] == "province")]
        if len(sig):
            latest = sig["year"].astype(int).max()
            sig = sig.loc[sig["year"].astype(int) == latest]
            frames.append(pd.DataFrame({
                "indicator": "desa_tanpa_sinyal", "code": sig["code"], "level": "provinsi",
                "period": f"BPS {latest}", "year": sig["year"], "value": sig["value"],
                "source": sig["source"], "source_url": sig["source_url"], "note": sig["note"]}))
    pa = _read(root, "population_area_2024.csv")
    if len(pa):
        lv = pa["level"].map(LEVEL_FROM_FILE)
        for ind, col, src in (("penduduk", "pop_total", "pop_source"),
                              ("luas", "area_km2", "area_source")):
            frames.append(pd.DataFrame({
                "indicator": ind, "code": pa["code"], "level": lv, "period": "2024",
                "year": "2024", "value": pa[col], "source": pa[src], "source_url": None,
                "note": None}))
    if not frames:
        return pd.DataFrame(columns=LONG_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    out["year"] = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    out = out.dropna(subset=["value"])
    # Two statements for one region and survey (rare; flagged in the note) — keep the first
    # as listed in the source table, which puts the official statement first.
    out = out.drop_duplicates(subset=["indicator", "code", "period"], keep="first")
    return out[LONG_COLUMNS].reset_index(drop=True)


def table() -> pd.DataFrame:
    """All published indicator values (long shape)."""
    return _table(str(data_dir()))


def period_year(period: str) -> int | None:
    """The year of a published period (its earliest), None when no value has one."""
    return _periods(str(data_dir()))[0].get(period)


def old_papua_geography(period: str) -> bool:
    """True when a period's province figures use the pre-2022 (34-province) geography."""
    year = period_year(period)
    if year is None or year > PAPUA_SPLIT_YEAR:
        return False
    return not (_periods(str(data_dir()))[1].get(period, frozenset()) & set(PAPUA_NEW))


@functools.lru_cache(maxsize=4)
def _periods(directory: str) -> tuple[dict[str, int], dict[str, frozenset[str]]]:
    """Per published period: its year, and the province codes it has values for (read
    once per data directory: the maps ask on every view)."""
    t = _table(directory)
    years = t.dropna(subset=["year"]).groupby("period")["year"].min()
    provinces = t.loc[t["level"] == "provinsi"].groupby("period")["code"].agg(frozenset)
    return {p: int(y) for p, y in years.items()}, provinces.to_dict()


def national_latest(indicator: str = "stunting") -> tuple[str, float] | None:
    """(survey, value) of the latest national figure (province code ``00`` in the source)."""
    series = national_series(indicator)
    if series.empty:
        return None
    return str(series["period"].iloc[-1]), float(series["value"].iloc[-1])


# National stunting targets drawn against the trend: (year, %, source).
STUNTING_TARGETS = ((2024, 14.0, "Perpres 72/2021"), (2029, 14.2, "RPJMN 2025–2029"))


def national_series(indicator: str = "stunting") -> pd.DataFrame:
    """period, year, value of the national figures (province code ``00`` in the source),
    oldest first; empty for indicators without national figures."""
    cols = ["period", "year", "value"]
    if indicator != "stunting":
        return pd.DataFrame(columns=cols)
    st = _read(str(data_dir()), "stunting_province.csv")
    if st.empty:
        return pd.DataFrame(columns=cols)
    rows = st.loc[st["province_code"] == "00"]
    out = pd.DataFrame({"period": rows["survey"].astype(str),
                        "year": pd.to_numeric(rows["year"], errors="coerce"),
                        "value": pd.to_numeric(rows["stunting_pct"], errors="coerce")})
    return out.dropna().sort_values("year").reset_index(drop=True)
