"""Key figures of one region, read from the indicator table (same numbers as geo), drawn as
one element (components.kpi)."""
from __future__ import annotations

import pandas as pd

from components import data
from components.i18n import fmt_number, lang, t
from components.kpi import Kpi, show_kpis
from geo.codes import level_of, parent_code
from geo.hazards import types as ht
from geo.indicators import published
from geo.indicators import registry as indicators
from geo.indicators.hazards import hazard_indicator_id


def _registry_total(indicator: str, region: str) -> pd.Series | None:
    """The row of a registry indicator for a region (Indonesia = sum over provinces)."""
    if region:
        rows = data.values(indicator, level_of(region), indicators.REGISTRY_PERIOD,
                           parent_code(region))
        rows = rows.loc[rows["code"] == region]
        return rows.iloc[0] if len(rows) else None
    rows = data.values(indicator, "provinsi", indicators.REGISTRY_PERIOD, None)
    if rows.empty:
        return None
    num, den = rows["numerator"].sum(), rows["denominator"].sum()
    ind = indicators.get(indicator)
    value = ind.scale * num / den if ind.is_rate and den else num
    return pd.Series({"value": value, "numerator": num, "denominator": den})


def key_figures(region: str, lang: str) -> None:
    """The key figures of ``region`` (Indonesia for ""), named for screen readers."""
    show_kpis(region_kpis(region, lang), t("kpi_name", region=data.region_name(region)))


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
        Kpi(t("kpi_high_hazard"), reg("posyandu_bahaya_tinggi"), help=hazard_types_help(region)),
    ]
    return kpis


def hazard_types_help(region: str) -> str:
    """Which hazard types the count of Posyandu in tinggi includes, with each type's count
    ("Semua jenis bahaya di data: Banjir 32; …; dihitung sekali …")."""
    parts = []
    for j in data.hazard_layers()[0].types():
        row = _registry_total(hazard_indicator_id(j), region)
        n = 0 if row is None else row["value"]
        parts.append(f"{ht.label(j, lang())} {fmt_number(n, 0)}")
    return t("kpi_high_hazard_help", types="; ".join(parts) or "–")


def _latest_survey(region: str) -> tuple[str, float] | None:
    """Latest survey stunting value of the region — published, or the user's imported value
    that replaces it — (the national figure for Indonesia)."""
    if not region:
        return published.national_latest("stunting")
    level, parent = level_of(region), parent_code(region)
    for period in reversed(data.periods("stunting", level, parent)):
        rows = data.values("stunting", level, period, parent)
        found = rows.loc[rows["code"] == region, "value"].dropna()
        if len(found):
            return period, float(found.iloc[0])
    return None
