"""Kader page pieces: the share of kader trained in the 25 basic skills, shown beside the
kader per Posyandu (a column of the table below the map, and the figure of the region)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data
from components.i18n import fmt_number, t
from geo.codes import level_of
from geo.indicators.registry import REGISTRY_PERIOD

TRAINED = "kader_terlatih_pct"


def trained_column(level: str, region: str) -> pd.DataFrame:
    """code and the trained-kader share (%) of each region on the map."""
    vals = data.values(TRAINED, level, REGISTRY_PERIOD, region or None)
    return pd.DataFrame({"code": vals["code"],
                         t("kader_trained_col"): vals["value"].round(1)})


def show_region_trained(region: str) -> None:
    """The trained-kader share of the selected region itself (Indonesia: every province
    summed), from the same sums as the map."""
    if region:
        rows = data.values(TRAINED, level_of(region), REGISTRY_PERIOD, None)
        rows = rows.loc[rows["code"] == region]
        value = float(rows["value"].iloc[0]) if len(rows) else float("nan")
    else:
        rows = data.values(TRAINED, "provinsi", REGISTRY_PERIOD, None)
        num, den = rows["numerator"].sum(), rows["denominator"].sum()
        value = 100.0 * num / den if den else float("nan")
    st.markdown(t("kader_trained_region", region=data.region_name(region),
                  value=fmt_number(value, 1) + " %"))
