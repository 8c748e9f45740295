"""Cached access to the domain package for the UI (Streamlit caches around geo calls).

Nothing here reads files itself: every value comes from a geo function; this module only
decides what is cached for the life of the server process.
"""
from __future__ import annotations

import re
import threading

import numpy as np
import pandas as pd
import streamlit as st

from geo import datasets
from geo.codes import LEVELS, child_level, level_of
from geo.indicators import registry as indicators
from geo.regions import boundaries as regions
from geo.regions import display
from geo.store import get_store

_RUN = threading.local()


EXPOSURE = ("posyandu", "batas", "bahaya")   # the families behind hazard exposure
# Workspace kinds behind each family of cached tables.
FAMILY_KINDS = {
    "posyandu": ("posyandu",),
    "batas": ("batas_provinsi", "batas_kabupaten", "batas_kecamatan", "batas_desa"),
    "bahaya": ("bahaya", "bahaya_raster"),
    "indikator": ("indikator", "agregat"),
}


def refresh_data_version() -> dict[str, str]:
    """Ask the store for the version of each kind (one cheap query; the shell calls this at
    the start of every rerun). The cached tables below are keyed on the versions of the
    kinds they depend on, so data saved through another app process show on this
    process's next rerun, and a save rebuilds only what depends on its kind."""
    _RUN.dv = get_store().data_versions()
    return _RUN.dv


def data_version(*families: str) -> str:
    """Cache key: the versions of the kinds of ``families`` (all kinds when none given)."""
    versions = getattr(_RUN, "dv", None)
    if versions is None:
        versions = refresh_data_version()
    kinds = [k for f in (families or FAMILY_KINDS) for k in FAMILY_KINDS[f]]
    return "|".join(f"{k}={versions.get(k, versions.get('*', ''))}" for k in kinds)


@st.cache_resource(show_spinner=False, max_entries=2)
def _joined(dv: str):
    return datasets.joined_posyandu()


def joined():
    return _joined(data_version("posyandu", "batas"))


@st.cache_resource(show_spinner=False, max_entries=2)
def _posyandu_info(dv: str) -> datasets.DatasetInfo:
    return datasets.posyandu_info()


def posyandu_info() -> datasets.DatasetInfo:
    return _posyandu_info(data_version("posyandu"))


@st.cache_resource(show_spinner=False, max_entries=2)
def _hazard_layers(dv: str):
    return datasets.hazard_layers()


def hazard_layers():
    """(geo.hazards.exposure.HazardLayers, DatasetInfo): the user's hazards, else the SAMPLE ones."""
    return _hazard_layers(data_version("bahaya"))


def hazard_zones():
    layers, info = hazard_layers()
    return layers.zones, info


@st.cache_resource(show_spinner=False, max_entries=2)
def _hazard_ranks(dv: str) -> tuple[list[str], np.ndarray]:
    from geo.hazards.exposure import class_ranks
    layers, _ = hazard_layers()
    return class_ranks(joined(), layers)


def hazard_ranks() -> tuple[list[str], np.ndarray]:
    """(types present, class rank per Posyandu and type + highest) — geo.hazards.exposure."""
    return _hazard_ranks(data_version(*EXPOSURE))


@st.cache_resource(show_spinner=False, max_entries=2)
def _hazard_classes(dv: str) -> pd.DataFrame:
    from geo.hazards.exposure import LABELS
    types, ranks = hazard_ranks()
    cols = {f"hazard_{t}": LABELS[ranks[:, i]] for i, t in enumerate(types)}
    cols["hazard_max"] = LABELS[ranks[:, -1]]
    return pd.DataFrame(cols, index=joined().index)


def hazard_classes() -> pd.DataFrame:
    """hazard_<type> … and hazard_max (rendah/sedang/tinggi or None) per Posyandu."""
    return _hazard_classes(data_version(*EXPOSURE))


@st.cache_resource(show_spinner=False, max_entries=2)
def _exposure_counts(dv: str) -> pd.DataFrame:
    from geo.hazards.exposure import exposure_counts as counts
    types, ranks = hazard_ranks()
    return counts(joined(), types, ranks, LEVELS)


def exposure_counts() -> pd.DataFrame:
    """Posyandu, balita sasaran, kader per region (every level), type and class."""
    return _exposure_counts(data_version(*EXPOSURE))


@st.cache_resource(show_spinner=False, max_entries=2)
def _exposed_list(dv: str) -> pd.DataFrame:
    from geo.hazards.exposure import exposed_list as listing
    types, ranks = hazard_ranks()
    out = listing(joined(), types, ranks, names())
    out["kode_agregasi"] = joined()["kode_agregasi"].astype(object).to_numpy()
    return out


def exposed_list() -> pd.DataFrame:
    """Every Posyandu with its class per hazard type (geo.hazards.exposure.exposed_list)."""
    return _exposed_list(data_version(*EXPOSURE))


@st.cache_resource(show_spinner="Menghitung indikator …", max_entries=2)
def _long_table(dv: str) -> pd.DataFrame:
    return datasets.long_table_cached(
        dv, lambda: ordered_for_lookup(datasets.long_table(joined(), LEVELS, hazard_classes())))


def long_table() -> pd.DataFrame:
    """Published and registry indicators (hazard exposure per type included) of every
    region at every level (long shape)."""
    return _long_table(data_version())


@st.cache_resource(show_spinner=False)
def names() -> pd.Series:
    return regions.region_names()


@st.cache_resource(show_spinner=False)
def _display_layer(dv: str, level: str, parent: str | None):
    return display.display_layer(level, parent or None)


def display_layer(level: str, parent: str | None):
    """Simplified display geometry (saved boundaries included) of a level under a parent."""
    return _display_layer(data_version("batas"), level, parent)


# What each cached loader depends on, by workspace kind: a save of one kind clears only
# the loaders that read it (and those built on them). Region names come from the code
# lists, which no import changes.
_DEPENDS: dict[str, tuple[str, ...]] = {
    "posyandu": ("_joined", "_posyandu_info", "_hazard_ranks", "_hazard_classes",
                 "_exposure_counts", "_exposed_list", "_long_table", "_by_key_of", "_subtree"),
    "bahaya": ("_hazard_layers", "_hazard_ranks", "_hazard_classes", "_exposure_counts",
               "_exposed_list", "_long_table", "_by_key_of"),
    "indikator": ("_long_table", "_by_key_of"),
    # boundaries: the join, the indicators on it and the drawn polygons
    "batas": ("_joined", "_hazard_ranks", "_hazard_classes", "_exposure_counts",
              "_exposed_list", "_long_table", "_by_key_of", "_subtree", "_display_layer"),
}
# Caches of other components built on the loaders above ("module.function").
_HAZARD_VIEW = ("components.views.hazards._hazard_file", "components.views.hazards._exposed",
                "components.views.hazards._kecamatan_wide")
_CONNECTIVITY_VIEW = ("components.views.connectivity._offline_table",
                      "components.views.siteplan._problem", "components.views.siteplan._greedy",
                      "components.views.siteplan._exact")
_DEPENDS_ELSEWHERE: dict[str, tuple[str, ...]] = {
    "posyandu": ("components.map.choropleth._points_for", "components.map.files._counts",
                 *_CONNECTIVITY_VIEW,
                 *_HAZARD_VIEW, "components.view_model._ranked_view"),
    "bahaya": (*_HAZARD_VIEW, "components.view_model._ranked_view"),
    "indikator": ("components.view_model._ranked_view",),
    "batas": ("components.map.choropleth._points_for", *_HAZARD_VIEW, *_CONNECTIVITY_VIEW,
              "components.view_model._ranked_view",
              "components.map.files._counts", "components.views.about.load_report"),
}


def invalidate(kind: str) -> list[str]:
    """After a save of workspace ``kind`` (posyandu, bahaya, indikator, agregat,
    batas_<level>, …): take the new versions for this rerun and drop the cached tables
    that depend on that kind — no other (a new registry keeps the drawn boundaries).
    Returns the names of the caches dropped."""
    family = next((f for f, kinds in FAMILY_KINDS.items() if kind in kinds), None)
    refresh_data_version()
    if family is None:        # an unknown kind: be safe
        st.cache_resource.clear()
        return ["*"]
    import importlib
    for name in _DEPENDS[family]:
        globals()[name].clear()
    for dotted in _DEPENDS_ELSEWHERE[family]:
        module, func = dotted.rsplit(".", 1)
        getattr(importlib.import_module(module), func).clear()
    if family == "batas":
        display.clear_memo()
    return [n.lstrip("_") for n in (*_DEPENDS[family], *_DEPENDS_ELSEWHERE[family])]


def region_name(code: str) -> str:
    if not code:
        return "Indonesia"
    return str(names().get(code, code))


def map_level(region: str) -> str | None:
    """Level drawn on the map for a selected region: the level below it."""
    if not region:
        return "provinsi"
    return child_level(level_of(region))


VALUE_COLUMNS = ["code", "value", "numerator", "denominator", "unstable", "ci_low", "ci_high",
                 "rse"]


def _part(indicator: str, level: str, period: str, parent: str | None) -> pd.DataFrame | None:
    """Rows of one indicator, level and period (under ``parent``), with their source."""
    found = _by_key().get((indicator, level, period))
    if found is None:
        return None
    rows, rank = found
    return rows.iloc[_under(rank, parent)] if parent else rows


def _code_rank(long: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(rank of each row's code in the sorted list of codes, that sorted list)."""
    cats = long["code"].cat.categories.to_numpy(dtype=str)
    order = np.argsort(cats, kind="stable")
    position = np.empty(len(cats) + 1, dtype=np.int64)   # category → rank in sorted order
    position[order] = np.arange(len(cats))
    position[-1] = -1                                     # (a missing code, never expected)
    return position[long["code"].cat.codes.to_numpy()], cats[order]


def _group_ids(long: pd.DataFrame) -> np.ndarray:
    """One integer per (indicator, level, period) of each row."""
    gid = np.zeros(len(long), dtype=np.int64)
    for col in ("indicator", "level", "period"):
        cat = long[col].cat
        gid = gid * (len(cat.categories) + 1) + cat.codes.to_numpy().astype(np.int64) + 1
    return gid


def ordered_for_lookup(long: pd.DataFrame) -> pd.DataFrame:
    """The long table ordered by (indicator, level, period, code), the order _by_key_of
    slices; kept so on disk, a server start needs no sort."""
    rank, _ = _code_rank(long)
    return long.take(np.lexsort((rank, _group_ids(long)))).reset_index(drop=True)


@st.cache_resource(show_spinner=False, max_entries=2)
def _by_key_of(dv: str) -> tuple[dict, np.ndarray]:
    long = long_table()
    rank, sorted_codes = _code_rank(long)
    gid = _group_ids(long)
    step = np.diff(gid)
    if len(gid) > 1 and not ((step > 0) | ((step == 0) & (np.diff(rank) >= 0))).all():
        order = np.lexsort((rank, gid))       # (a table not read back from the disk cache)
        long, rank, gid = long.take(order).reset_index(drop=True), rank[order], gid[order]
    starts = np.r_[0, np.flatnonzero(np.diff(gid)) + 1] if len(gid) else np.array([], int)
    ends = np.r_[starts[1:], len(gid)]
    columns = [long.columns.get_loc(c) for c in ("indicator", "level", "period")]
    parts = {}
    for start, end in zip(starts, ends):
        key = tuple(str(long.iat[int(start), c]) for c in columns)
        parts[key] = (long.iloc[int(start):int(end)], rank[start:end])
    return parts, sorted_codes


def _by_key() -> dict:
    """The long table split by (indicator, level, period), each part ordered by code with
    the rank of its codes: the regions under a parent are one slice found by binary search
    (a rerun of a kabupaten view used to test every code of the level with str.startswith)."""
    return _by_key_of(data_version())[0]


def _under(rank: np.ndarray, parent: str) -> slice:
    """Rows of a part (code ranks ``rank``) under ``parent``: codes with the prefix
    ``parent + '.'`` ('/' is the character after '.')."""
    sorted_codes = _by_key_of(data_version())[1]
    first, end = np.searchsorted(sorted_codes, [parent + ".", parent + "/"])
    lo, hi = np.searchsorted(rank, [first, end])
    return slice(int(lo), int(hi))


def values(indicator: str, level: str, period: str, parent: str | None) -> pd.DataFrame:
    """code, value, numerator, denominator, unstable for the regions under ``parent``."""
    rows = _part(indicator, level, period, parent)
    if rows is None:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    out = rows[VALUE_COLUMNS].reset_index(drop=True)
    # plain strings: a categorical over every code of the table (91,000) made each later
    # .map() of a view's few codes map all 91,000 categories (~0.1 s each)
    out["code"] = out["code"].to_numpy(dtype=object)
    return out


def sources(indicator: str, level: str, period: str, parent: str | None) -> list[str]:
    """Distinct sources of the values of one indicator, level and period under ``parent``."""
    rows = _part(indicator, level, period, parent)
    return [] if rows is None else sorted(set(rows["source"].astype(str)))


def periods(indicator: str, level: str | None = None, parent: str | None = None) -> list[str]:
    """Periods with values for the regions of ``level`` under ``parent``, oldest first
    (published, imported and registry values alike)."""
    ind = indicators.get(indicator)
    found = []
    for (i, lv, period), (_, rank) in _by_key().items():
        if i != indicator or (level and lv != level):
            continue
        where = _under(rank, parent) if parent else None
        if where is not None and where.stop <= where.start:
            continue
        found.append(period)
    if ind.source == "registri":
        # imported aggregate tables (counts per kecamatan/desa, by year) first, the
        # registry itself last (the default)
        imported = [p for p in found if p != indicators.REGISTRY_PERIOD]
        return sorted(set(imported), key=_period_order) + [indicators.REGISTRY_PERIOD]
    return sorted(set(found), key=_period_order)


def period_year(period: str) -> int | None:
    """The year in a period's name ('SKI 2023' → 2023), None when it has none."""
    years = re.findall(r"(?:19|20)\d\d", str(period))
    return int(years[-1]) if years else None


def _period_order(period: str) -> tuple:
    """'SSGI 2021' < 'SSGI 2022' < 'SKI 2023' < 'SSGI 2024': by the year in the name."""
    return (period_year(period) or 0, period)


def subtree(region: str) -> pd.DataFrame:
    """Posyandu (joined) inside a region (all of them for Indonesia)."""
    return _subtree(data_version("posyandu", "batas"), region)


@st.cache_resource(max_entries=32, show_spinner=False)
def _subtree(dv: str, region: str) -> pd.DataFrame:
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
