"""Cached access to the domain package for the UI (Streamlit caches around geo calls).

Nothing here reads files itself: every value comes from a geo function; this module only
decides what is cached for the life of the server process.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import streamlit as st

from geo import datasets, display, indicators, regions
from geo.codes import LEVELS, child_level, level_of


@st.cache_resource(show_spinner=False)
def joined():
    return datasets.joined_posyandu()


@st.cache_resource(show_spinner=False)
def posyandu_info() -> datasets.DatasetInfo:
    return datasets.posyandu_info()


@st.cache_resource(show_spinner=False)
def hazard_zones():
    return datasets.hazard_zones()


@st.cache_resource(show_spinner=False)
def hazard_classes() -> pd.DataFrame:
    from geo.hazards import classify_posyandu
    zones, _ = hazard_zones()
    return classify_posyandu(joined(), zones)


@st.cache_resource(show_spinner=False)
def exposure(level: str) -> pd.DataFrame:
    """Posyandu per hazard class for every region of ``level`` (geo.hazards)."""
    from geo.hazards import exposure_by_region
    return exposure_by_region(joined(), hazard_classes(), level, code_column="kode_agregasi")


@st.cache_resource(show_spinner="Menghitung indikator …")
def long_table() -> pd.DataFrame:
    """Published and registry indicators of every region at every level (long shape)."""
    return datasets.long_table(joined(), LEVELS, hazard_classes()["hazard_max"])


@st.cache_resource(show_spinner=False)
def names() -> pd.Series:
    return regions.region_names()


@st.cache_resource(show_spinner=False)
def display_layer(level: str, parent: str | None):
    return display.display_layer(level, parent or None)


# What each cached loader depends on, by workspace kind: a save of one kind clears only
# the loaders that read it (and those built on them). Region names come from the code
# lists, which no import changes.
_DEPENDS: dict[str, tuple[str, ...]] = {
    "posyandu": ("joined", "posyandu_info", "hazard_classes", "exposure", "long_table",
                 "_by_key", "subtree"),
    "bahaya": ("hazard_zones", "hazard_classes", "exposure", "long_table", "_by_key"),
    "indikator": ("long_table", "_by_key"),
    # boundaries: the join, the indicators on it and the drawn polygons
    "batas": ("joined", "hazard_classes", "exposure", "long_table", "_by_key", "subtree",
              "display_layer"),
}
# Caches of other components built on the loaders above ("module.function").
_DEPENDS_ELSEWHERE: dict[str, tuple[str, ...]] = {
    "posyandu": ("components.choropleth.points_for",),
    "bahaya": ("components.hazard_view.zones_in_view",),
    "indikator": (),
    "batas": ("components.choropleth.points_for", "components.hazard_view.zones_in_view",
              "components.about.load_report"),
}


def invalidate(kind: str) -> list[str]:
    """Clear the cached loaders that depend on workspace ``kind`` (posyandu, bahaya,
    indikator, batas_<level>); returns their names."""
    family = "batas" if kind.startswith("batas") else kind
    names = _DEPENDS.get(family)
    if names is None:        # an unknown kind: be safe
        st.cache_resource.clear()
        return ["*"]
    import importlib
    for name in names:
        globals()[name].clear()
    for dotted in _DEPENDS_ELSEWHERE[family]:
        module, func = dotted.rsplit(".", 1)
        getattr(importlib.import_module(module), func).clear()
    if family == "batas":
        display.clear_memo()
    return [*names, *_DEPENDS_ELSEWHERE[family]]


def region_name(code: str) -> str:
    if not code:
        return "Indonesia"
    return str(names().get(code, code))


def map_level(region: str) -> str | None:
    """Level drawn on the map for a selected region: the level below it."""
    if not region:
        return "provinsi"
    return child_level(level_of(region))


@st.cache_resource(show_spinner=False)
def _by_key() -> dict:
    """The long table split by (indicator, level, period), so a rerun filters small frames."""
    cols = ["code", "value", "numerator", "denominator", "unstable"]
    return {key: frame[cols].reset_index(drop=True)
            for key, frame in long_table().groupby(["indicator", "level", "period"], sort=False)}


def values(indicator: str, level: str, period: str, parent: str | None) -> pd.DataFrame:
    """code, value, numerator, denominator, unstable for the regions under ``parent``."""
    rows = _by_key().get((indicator, level, period))
    if rows is None:
        return pd.DataFrame(columns=["code", "value", "numerator", "denominator", "unstable"])
    if parent:
        rows = rows.loc[rows["code"].str.startswith(parent + ".")]
    return rows.reset_index(drop=True)


def periods(indicator: str, level: str | None = None, parent: str | None = None) -> list[str]:
    """Periods with values for the regions of ``level`` under ``parent``, oldest first
    (published, imported and registry values alike)."""
    ind = indicators.get(indicator)
    if ind.source == "registri":
        return [indicators.REGISTRY_PERIOD]
    found = []
    for (i, lv, period), rows in _by_key().items():
        if i != indicator or (level and lv != level):
            continue
        if parent and not rows["code"].str.startswith(parent + ".").any():
            continue
        found.append(period)
    return sorted(set(found), key=_period_order)


def _period_order(period: str) -> tuple:
    """'SSGI 2021' < 'SSGI 2022' < 'SKI 2023' < 'SSGI 2024': by the year in the name."""
    years = re.findall(r"(?:19|20)\d\d", period)
    return (int(years[-1]) if years else 0, period)


@st.cache_resource(max_entries=32, show_spinner=False)
def subtree(region: str) -> pd.DataFrame:
    """Posyandu (joined) inside a region (all of them for Indonesia)."""
    j = joined()
    if not region:
        return j
    codes = j["kode_agregasi"]   # a Categorical: test its distinct codes, not every row
    cats = codes.cat.categories
    inside = np.append((cats == region) | cats.str.startswith(region + "."), False)
    return j.loc[inside[codes.cat.codes.to_numpy()]]


def subtree_villages(region: str) -> int:
    """Number of desa/kelurahan of the Kemendagri list inside a region."""
    codes = regions.code_list("desa")["code"]
    if not region:
        return int(len(codes))
    return int(((codes == region) | codes.str.startswith(region + ".")).sum())
