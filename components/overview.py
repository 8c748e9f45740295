"""KPI figures of one region, read from the indicator table (same numbers as geo)."""
from __future__ import annotations

import pandas as pd

from components import data
from components.i18n import fmt_number, t
from components.kpi import Kpi
from geo import indicators, published


def _registry_total(indicator: str, region: str) -> pd.Series | None:
    """The row of a registry indicator for a region (Indonesia = sum over provinces)."""
    long = data.long_table()
    sel = (long["indicator"] == indicator) & (long["period"] == indicators.REGISTRY_PERIOD)
    if region:
        rows = long.loc[sel & (long["code"] == region)]
        return rows.iloc[0] if len(rows) else None
    rows = long.loc[sel & (long["level"] == "provinsi")]
    if rows.empty:
        return None
    num, den = rows["numerator"].sum(), rows["denominator"].sum()
    ind = indicators.get(indicator)
    value = ind.scale * num / den if ind.is_rate and den else num
    return pd.Series({"value": value, "numerator": num, "denominator": den})


def region_kpis(region: str, lang: str) -> list[Kpi]:
    def reg(ind, decimals=None, suffix=""):
        row = _registry_total(ind, region)
        d = indicators.get(ind).decimals if decimals is None else decimals
        return "–" if row is None else fmt_number(row["value"], d) + suffix

    villages = data.subtree_villages(region)
    kpis = [
        Kpi(t("kpi_posyandu"), reg("posyandu")),
        Kpi(t("kpi_villages"), fmt_number(villages, 0)),
        Kpi(t("kpi_posyandu_per_village"), reg("posyandu_per_desa")),
        Kpi(t("kpi_kader"), reg("kader_per_posyandu")),
    ]
    survey = _latest_survey(region)
    if survey is not None:
        kpis.append(Kpi(t("kpi_stunting_survey", period=survey[0]), fmt_number(survey[1], 1) + " %"))
    kpis += [
        Kpi(t("kpi_stunting_registry"), reg("stunting_registri", suffix=" %")),
        Kpi(t("kpi_no_internet"), reg("tanpa_internet_pct", suffix=" %")),
        Kpi(t("kpi_high_hazard"), reg("posyandu_bahaya_tinggi")),
    ]
    return kpis


def _latest_survey(region: str) -> tuple[str, float] | None:
    """Latest published stunting value of the region (national figure for Indonesia)."""
    table = published.table()
    if not region:
        return published.national_latest("stunting")
    rows = table.loc[(table["indicator"] == "stunting") & (table["code"] == region)]
    if rows.empty:
        return None
    row = rows.sort_values("year").iloc[-1]
    return str(row["period"]), float(row["value"])
