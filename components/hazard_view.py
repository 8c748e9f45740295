"""Hazard zones and Posyandu exposure for the Risiko Bencana page."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st

from components import data
from components.i18n import t
from geo import hazards


def zones_in_view(region: str) -> gpd.GeoDataFrame:
    """Hazard zones clipped to the selected region (all of them for Indonesia)."""
    return _zones_in_view(data.data_version(), region)


@st.cache_resource(max_entries=32, show_spinner=False)
def _zones_in_view(dv: str, region: str) -> gpd.GeoDataFrame:
    zones, _ = data.hazard_zones()
    if not region:
        return zones
    area = shapely.union_all(data.display_layer(data.map_level(region), region).geometry.values)
    inside = zones.loc[zones.intersects(area)].copy()
    inside["geometry"] = inside.geometry.intersection(area)
    return inside.loc[~inside.geometry.is_empty]


def exposure_table(level: str, region: str) -> pd.DataFrame:
    """code + Posyandu count per hazard class for the regions of ``level`` under ``region``."""
    table = data.exposure(level)
    if region:
        table = table.loc[table["code"].str.startswith(region + ".")]
    names = {k: f"Posyandu {t(k)}" for k in hazards.KELAS}
    names[hazards.NO_HAZARD] = f"Posyandu {t('none_class')}"
    return table.rename(columns=names).drop(columns=["total"], errors="ignore")
