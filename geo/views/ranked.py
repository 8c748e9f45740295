"""The ranked view of one indicator: the values of the regions of a level (under a parent)
in a period, their rank "k dari N", and — with a comparison period — the ranks over the
regions that have a value in both, said together with the rank in the period alone.

Everything that shows a value or a rank of such a view reads :class:`RankedView`: the
dashboard's map, table, key figure and Peringkat (components), the exported map
(geo.export.mapdata), the meeting pack (geo.export.pack) and ``python -m geo rank``. So
"peringkat 8 dari 13" on one page cannot be "8 dari 12" on another: where a comparison
restricts N, :meth:`RankedView.rank_text` says both numbers in one sentence
("peringkat 8 dari 13; 8 dari 12 provinsi yang punya nilai pada kedua survei").

Values come from a long table (geo.datasets.long_table; :func:`from_long`) or from any
function returning the rows of one period (:func:`build`; the dashboard passes its cached
per-period slices).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from geo.indicators import registry as indicators
from geo.stats import ranking, rankrange

VALUE_COLUMNS = ["code", "value", "numerator", "denominator", "unstable", "source", "ci_low",
                 "ci_high", "rse", "ci_note"]
LEVEL_WORDS = {"id": {"provinsi": "provinsi", "kabupaten": "kabupaten/kota",
                      "kecamatan": "kecamatan", "desa": "desa/kelurahan"},
               "en": {"provinsi": "provinces", "kabupaten": "regencies/cities",
                      "kecamatan": "districts", "desa": "villages"}}


@dataclass(frozen=True)
class Position:
    """Where one region stands in a ranked view."""
    code: str
    rank: int | None          # in the period, over every region with a value
    of: int                   # N of that rank
    rank_both: int | None     # with a comparison: over the regions with values in both
    of_both: int | None
    rank_prev: int | None     # with a comparison: in the comparison period (same regions)
    rank_change: int | None   # rank_prev − rank_both (positive: towards rank 1, worse)
    value: float | None
    value_prev: float | None
    value_change: float | None


def _int(x) -> int | None:
    return None if x is None or pd.isna(x) else int(x)


def _float(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


@dataclass
class RankedView:
    indicator: str
    level: str
    period: str
    compare: str | None
    parent: str | None
    values: pd.DataFrame        # code, name, value, numerator, denominator, unstable, source,
    #                             ci_low, ci_high, rse, ci_note, rank, of (+ rank_low,
    #                             rank_high for registry proportions) — the period's regions
    #                             with a row (map, exports)
    table: pd.DataFrame         # geo.stats.ranking.rank_table (+ rank_all, of_all with a
    #                             comparison): every region of the universe (Peringkat, CLI)
    _positions: dict = field(default_factory=dict, repr=False)

    @property
    def of(self) -> int:
        """N of the ranks in the period (regions with a value)."""
        return int(self.values["value"].notna().sum())

    @property
    def of_both(self) -> int | None:
        """N of the ranks over both periods (None without a comparison)."""
        if not self.compare:
            return None
        return int(self.table["rank"].notna().sum())

    def position(self, code: str) -> Position:
        if code not in self._positions:
            row = self.table.loc[self.table["code"] == code]
            r = row.iloc[0] if len(row) else pd.Series(dtype=object)
            if self.compare:
                rank = _int(r.get("rank_all"))
                both, prev, change = _int(r.get("rank")), _int(r.get("rank_prev")), \
                    _int(r.get("rank_change"))
            else:
                rank, both, prev, change = _int(r.get("rank")), None, None, None
            self._positions[code] = Position(
                code, rank, self.of, both, self.of_both, prev, change, _float(r.get("value")),
                _float(r.get("value_prev")), _float(r.get("value_change")))
        return self._positions[code]

    def rank_text(self, code: str, lang: str = "id") -> str:
        """"peringkat 8 dari 13" — and, where a comparison ranks over fewer regions,
        "; 8 dari 12 provinsi yang punya nilai pada kedua survei" in the same sentence."""
        p = self.position(code)
        text = ranking.describe(p.rank, p.of, lang)
        if self.compare and p.of_both is not None and p.of_both != p.of:
            words = LEVEL_WORDS[lang][self.level]
            if p.rank_both is None:
                text += ("; tidak dibandingkan (tidak punya nilai pada kedua survei)"
                         if lang == "id" else "; not compared (no value in both surveys)")
            elif lang == "id":
                text += (f"; {p.rank_both} dari {p.of_both} {words} yang punya nilai pada "
                         "kedua survei")
            else:
                text += f"; {p.rank_both} of {p.of_both} {words} with values in both surveys"
        return text


def build(rows_for: Callable[[str], pd.DataFrame], indicator: str, level: str, period: str,
          compare: str | None = None, parent: str | None = None,
          names: pd.Series | None = None, universe: Iterable[str] | None = None
          ) -> RankedView:
    """The ranked view. ``rows_for(period)`` returns the rows (at least code, value) of
    ``indicator`` at ``level`` under ``parent`` in that period; ``names`` maps codes to
    names; ``universe`` lists every region the ranking is about (those without a value are
    listed in the table with the reason)."""
    ind = indicators.get(indicator)
    parent = parent or None
    compare = compare if compare and compare != period else None
    now = rows_for(period).reset_index(drop=True)
    vals = now.reindex(columns=VALUE_COLUMNS).copy()
    vals["code"] = vals["code"].astype(object).astype(str)
    ranked = ranking.rank_frame(vals[["code", "value"]], ind.higher_is_worse)
    vals = vals.merge(ranked[["code", "rank", "of"]], on="code", how="left")
    vals["rank"] = vals["rank"].astype("Int64")
    vals["of"] = vals["of"].astype("Int64")
    ci = vals[["ci_low", "ci_high"]].astype(float)
    if len(vals) and ci.notna().all().all():
        # registry proportions: the ranks each region's interval allows (geo.stats.rankrange)
        low, high = rankrange.rank_ranges(ci["ci_low"], ci["ci_high"], ind.higher_is_worse)
        vals["rank_low"], vals["rank_high"] = low, high
    vals.insert(1, "name", vals["code"].map(names) if names is not None else None)

    parts = [vals[["code", "value"]].assign(period=period)]
    if compare:
        prev = rows_for(compare).reset_index(drop=True)
        parts.append(prev[["code", "value"]].assign(period=compare))
    long = pd.concat(parts, ignore_index=True).assign(indicator=indicator, level=level)
    long["code"] = long["code"].astype(object).astype(str)
    table = ranking.rank_table(long, indicator, level, period, compare, parent=parent,
                               names=names, universe=universe)
    if compare:
        by_code = vals.set_index("code")
        table.insert(len(table.columns) - 1, "rank_all",
                     table["code"].map(by_code["rank"]).astype("Int64"))
        table.insert(len(table.columns) - 1, "of_all", pd.array(
            [len(ranked) if pd.notna(r) else pd.NA for r in table["rank_all"]], dtype="Int64"))
    return RankedView(indicator, level, period, compare, parent, vals, table)


def from_long(long: pd.DataFrame, indicator: str, level: str, period: str,
              compare: str | None = None, parent: str | None = None,
              names: pd.Series | None = None, universe: Iterable[str] | None = None
              ) -> RankedView:
    """The ranked view read from a long table (geo.datasets.long_table)."""
    def rows_for(p: str) -> pd.DataFrame:
        return indicators.values(long, indicator, level, p, parent or None)
    return build(rows_for, indicator, level, period, compare, parent, names, universe)
