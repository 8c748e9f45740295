"""Ranking of the regions of one level by one indicator for one survey/period.

* Rank 1 = worst: for an indicator where higher is worse (stunting), the highest value, as
  Indonesian reports count "peringkat ke-16 tertinggi"; for one where higher is better, the
  lowest value.
* Ties share the lower number (competition ranking: 1, 2, 2, 4).
* ``of`` = N, the number of regions with a value in that period.
* With a comparison period: ``rank_prev``, ``of_prev`` and ``rank_change = rank_prev − rank``
  (positive: the region moved towards rank 1, i.e. relatively worse; negative: better).
  Regions present in only one of the two periods are kept and explained in ``catatan``,
  as are provinces whose geography changed with the 2022 Papua split.
"""
from __future__ import annotations

import pandas as pd

from . import indicators, published

RANK_COLUMNS = ["code", "name", "value", "rank", "of"]
COMPARE_COLUMNS = ["value_prev", "rank_prev", "of_prev", "rank_change", "catatan"]


def rank_values(values: pd.Series, higher_is_worse: bool = True) -> pd.Series:
    """Competition ranks (1 = worst; ties share the lower number); NaN stays unranked."""
    ranks = values.rank(method="min", ascending=not higher_is_worse, na_option="keep")
    return ranks.astype("Int64")


def rank_frame(values: pd.DataFrame, higher_is_worse: bool = True) -> pd.DataFrame:
    """``values`` has columns code, value (and optionally name). Adds rank and of."""
    out = values.copy()
    out = out.loc[out["value"].notna()]
    out["rank"] = rank_values(out["value"], higher_is_worse)
    out["of"] = int(len(out))
    return out.sort_values(["rank", "code"], kind="stable").reset_index(drop=True)


def _geography_note(code: str, period: str, other: str, lang_old: bool, other_old: bool) -> str | None:
    if lang_old == other_old:
        return None
    old_period, new_period = (period, other) if lang_old else (other, period)
    if code in published.PAPUA_OLD:
        covers = ", ".join(published.PAPUA_OLD[code])
        return (f"batas wilayah berubah: pada {old_period} kode {code} mencakup provinsi "
                f"{covers} sebelum pemekaran Papua 2022; {new_period} memakai batas baru")
    return None


def rank_table(long: pd.DataFrame, indicator: str, level: str, period: str,
               compare: str | None = None, parent: str | None = None,
               names: pd.Series | None = None) -> pd.DataFrame:
    """Ranking of ``level`` regions by ``indicator`` in ``period`` from a long table."""
    ind = indicators.INDICATORS[indicator]

    def pick(p):
        rows = indicators.values(long, indicator, level, p, parent)[["code", "value"]]
        return rank_frame(rows, ind.higher_is_worse)

    current = pick(period)
    if names is not None:
        current.insert(1, "name", current["code"].map(names))
    else:
        current.insert(1, "name", None)
    if compare is None:
        return current[RANK_COLUMNS]

    prev = pick(compare).rename(columns={"value": "value_prev", "rank": "rank_prev", "of": "of_prev"})
    merged = current.merge(prev, on="code", how="outer", indicator=True)
    if names is not None:
        merged["name"] = merged["code"].map(names)
    merged["rank_change"] = (merged["rank_prev"] - merged["rank"]).astype("Int64")
    old_now = published.old_papua_geography(period)
    old_prev = published.old_papua_geography(compare)
    notes = []
    for code, side in zip(merged["code"], merged["_merge"]):
        note = []
        if side == "left_only":
            note.append(f"tidak ada nilai pada {compare}"
                        + (" (provinsi hasil pemekaran 2022)" if code in published.PAPUA_NEW else ""))
        elif side == "right_only":
            note.append(f"tidak ada nilai pada {period}"
                        + (" (provinsi hasil pemekaran 2022)" if code in published.PAPUA_NEW else ""))
        geo_note = _geography_note(code, period, compare, old_now, old_prev)
        if geo_note:
            note.append(geo_note)
        notes.append("; ".join(note) if note else None)
    merged["catatan"] = notes
    merged["of"] = merged["of"].astype("Int64")
    merged["of_prev"] = merged["of_prev"].astype("Int64")
    merged = merged.sort_values(["rank", "rank_prev", "code"], na_position="last", kind="stable")
    return merged[RANK_COLUMNS + COMPARE_COLUMNS].reset_index(drop=True)


def position(ranked: pd.DataFrame, code: str) -> tuple[int | None, int]:
    """(rank, N) of one region in a ranking; rank None when it has no value."""
    row = ranked.loc[ranked["code"] == code]
    n = int(ranked["of"].dropna().iloc[0]) if ranked["of"].notna().any() else 0
    if row.empty or pd.isna(row["rank"].iloc[0]):
        return None, n
    return int(row["rank"].iloc[0]), n


def describe(rank: int | None, n: int, lang: str = "id") -> str:
    """"peringkat 16 dari 34" / "rank 16 of 34"."""
    if rank is None:
        return "tidak ada data" if lang == "id" else "no data"
    return f"peringkat {rank} dari {n}" if lang == "id" else f"rank {rank} of {n}"

