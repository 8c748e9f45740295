"""Ranking of the regions of one level by one indicator for one survey/period.

* Rank 1 = worst: for an indicator where higher is worse (stunting), the highest value, as
  Indonesian reports count "peringkat ke-16 tertinggi"; for one where higher is better, the
  lowest value.
* Ties share the lower number (competition ranking: 1, 2, 2, 4).
* ``of`` = N, the number of regions ranked. A rank over an incomplete list says so:
  ``coverage`` names the regions of the level that have no value.
* With a comparison period, both ranks are computed over the **same** regions: those with a
  comparable value in both periods (a province whose geography changed with the 2022 Papua
  split is not comparable), so ``of == of_prev``. ``rank_change = rank_prev − rank``
  (positive: the region moved towards rank 1, i.e. relatively worse; negative: better) and
  ``value_change = value − value_prev`` (percentage points for a percentage). Regions with
  a value in only one period, or in neither, are kept and explained in ``catatan``.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from geo.indicators import published
from geo.indicators import registry as indicators

RANK_COLUMNS = ["code", "name", "value", "rank", "of"]
COMPARE_COLUMNS = ["value_prev", "rank_prev", "of_prev", "rank_change", "value_change"]
NOTE = "catatan"


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


def _split_note(code: str) -> str:
    return " (provinsi hasil pemekaran 2022)" if code in published.PAPUA_NEW else ""


def _geography_changed(code: str, old_now: bool, old_prev: bool) -> bool:
    return old_now != old_prev and code in published.PAPUA_OLD


def _geography_note(code: str, period: str, compare: str, old_now: bool) -> str:
    old_period, new_period = (period, compare) if old_now else (compare, period)
    covers = ", ".join(published.PAPUA_OLD[code])
    return (f"batas wilayah berubah: pada {old_period} kode {code} mencakup provinsi "
            f"{covers} sebelum pemekaran Papua 2022; {new_period} memakai batas baru, "
            "jadi tidak dibandingkan")


def rank_table(long: pd.DataFrame, indicator: str, level: str, period: str,
               compare: str | None = None, parent: str | None = None,
               names: pd.Series | None = None,
               universe: Iterable[str] | None = None) -> pd.DataFrame:
    """Ranking of ``level`` regions by ``indicator`` in ``period`` from a long table.

    ``universe``: the codes the ranking is about (e.g. every province); those without a
    value are listed too, with the reason in ``catatan``, never dropped.
    """
    ind = indicators.INDICATORS[indicator]

    def pick(p):
        return indicators.values(long, indicator, level, p, parent)[["code", "value"]]

    now = pick(period)
    codes = set(now["code"])
    if compare:
        prev = pick(compare).rename(columns={"value": "value_prev"})
        codes |= set(prev["code"])
    if universe is not None:
        codes |= set(universe)
    table = pd.DataFrame({"code": sorted(codes)})
    table["value"] = table["code"].map(now.set_index("code")["value"]).astype(float)
    notes: dict[str, list[str]] = {c: [] for c in table["code"]}

    if not compare:
        ranked = rank_frame(table[["code", "value"]], ind.higher_is_worse).set_index("code")
        table["rank"] = table["code"].map(ranked["rank"]).astype("Int64")
        table["of"] = pd.array([len(ranked) if c in ranked.index else pd.NA
                                for c in table["code"]], dtype="Int64")
        for c in table.loc[table["value"].isna(), "code"]:
            notes[c].append(f"belum ada nilai pada {period}{_split_note(c)}")
    else:
        table["value_prev"] = table["code"].map(prev.set_index("code")["value_prev"]).astype(float)
        old_now = published.old_papua_geography(period)
        old_prev = published.old_papua_geography(compare)
        changed = table["code"].map(lambda c: _geography_changed(c, old_now, old_prev))
        both = table["value"].notna() & table["value_prev"].notna() & ~changed
        common = table.loc[both]
        r_now = rank_frame(common[["code", "value"]], ind.higher_is_worse).set_index("code")
        r_prev = rank_frame(common[["code", "value_prev"]].rename(columns={"value_prev": "value"}),
                            ind.higher_is_worse).set_index("code")
        n = int(both.sum())
        table["rank"] = table["code"].map(r_now["rank"]).astype("Int64")
        table["of"] = pd.array([n if b else pd.NA for b in both], dtype="Int64")
        table["rank_prev"] = table["code"].map(r_prev["rank"]).astype("Int64")
        table["of_prev"] = table["of"].copy()
        table["rank_change"] = (table["rank_prev"] - table["rank"]).astype("Int64")
        table["value_change"] = (table["value"] - table["value_prev"]).round(2).where(~changed)
        for c, v, vp, ch in zip(table["code"], table["value"], table["value_prev"], changed):
            if ch:
                notes[c].append(_geography_note(c, period, compare, old_now))
            elif pd.isna(v) and pd.isna(vp):
                notes[c].append(f"belum ada nilai pada {period} maupun {compare}{_split_note(c)}")
            elif pd.isna(v):
                notes[c].append(f"tidak ada nilai pada {period}{_split_note(c)}; tidak dibandingkan")
            elif pd.isna(vp):
                notes[c].append(f"tidak ada nilai pada {compare}{_split_note(c)}; tidak dibandingkan")
    table.insert(1, "name", table["code"].map(names) if names is not None else None)
    table[NOTE] = [("; ".join(notes[c]) or None) for c in table["code"]]
    table = table.sort_values(["rank", "code"], na_position="last", kind="stable")
    cols = RANK_COLUMNS + (COMPARE_COLUMNS if compare else []) + [NOTE]
    return table[cols].reset_index(drop=True)


def coverage(table: pd.DataFrame) -> tuple[int, list[str]]:
    """(number of regions ranked, codes listed without a rank) of a ``rank_table``."""
    ranked = table["rank"].notna()
    return int(ranked.sum()), list(table.loc[~ranked, "code"])


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


def describe_change(rank_change, lang: str = "id") -> str:
    """Rank movement in words nobody misreads: rank 1 is the worst, so moving towards it
    (positive ``rank_change``) is "memburuk"."""
    if rank_change is None or pd.isna(rank_change):
        return "–"
    k = int(rank_change)
    if k == 0:
        return "tetap" if lang == "id" else "unchanged"
    if lang == "id":
        return f"{'memburuk' if k > 0 else 'membaik'} {abs(k)} peringkat"
    return f"{'worse' if k > 0 else 'better'} by {abs(k)} place{'s' if abs(k) > 1 else ''}"


def most_improved(table: pd.DataFrame, higher_is_worse: bool = True) -> pd.DataFrame:
    """A comparison table ordered by the change of the value itself, the largest
    improvement first (the largest fall of a prevalence), regions without one last."""
    return table.sort_values(["value_change", "code"], ascending=[higher_is_worse, True],
                             na_position="last", kind="stable").reset_index(drop=True)
