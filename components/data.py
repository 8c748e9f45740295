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
def hazard_layers():
    """(geo.exposure.HazardLayers, DatasetInfo): the user's hazards, else the SAMPLE ones."""
    return datasets.hazard_layers()


def hazard_zones():
    layers, info = hazard_layers()
    return layers.zones, info


@st.cache_resource(show_spinner=False)
def hazard_ranks() -> tuple[list[str], np.ndarray]:
    """(types present, class rank per Posyandu and type + highest) — geo.exposure."""
    from geo.exposure import class_ranks
    layers, _ = hazard_layers()
    return class_ranks(joined(), layers)


@st.cache_resource(show_spinner=False)
def hazard_classes() -> pd.DataFrame:
    """hazard_<type> … and hazard_max (rendah/sedang/tinggi or None) per Posyandu."""
    from geo.exposure import LABELS
    types, ranks = hazard_ranks()
    index = joined().index
    cols = {f"hazard_{t}": LABELS[ranks[:, i]] for i, t in enumerate(types)}
    cols["hazard_max"] = LABELS[ranks[:, -1]]
    return pd.DataFrame(cols, index=index)


@st.cache_resource(show_spinner=False)
def exposure_counts() -> pd.DataFrame:
    """Posyandu, balita sasaran, kader per region (every level), type and class."""
    from geo.exposure import exposure_counts as counts
    types, ranks = hazard_ranks()
    return counts(joined(), types, ranks, LEVELS)


@st.cache_resource(show_spinner=False)
def exposed_list() -> pd.DataFrame:
    """Every Posyandu with its class per hazard type (geo.exposure.exposed_list)."""
    from geo.exposure import exposed_list as listing
    types, ranks = hazard_ranks()
    out = listing(joined(), types, ranks, names())
    out["kode_agregasi"] = joined()["kode_agregasi"].astype(object).to_numpy()
    return out


@st.cache_resource(show_spinner="Menghitung indikator …")
def long_table() -> pd.DataFrame:
    """Published and registry indicators (hazard exposure per type included) of every
    region at every level (long shape)."""
    return datasets.long_table(joined(), LEVELS, hazard_classes())


@st.cache_resource(show_spinner=False)
def names() -> pd.Series:
    return regions.region_names()


@st.cache_resource(show_spinner=False)
def display_layer(level: str, parent: str | None):
    return display.display_layer(level, parent or None)


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
