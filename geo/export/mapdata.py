"""What an exported map draws: the same layer, values, classes and colours as the screen
map (components.map.choropleth.map_section), gathered from geo only, plus its sources and
whether any of it is sample data."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.codes import LEVELS, child_level, level_of
from geo.export.text import LEVEL_NAMES, tr
from geo.indicators import published
from geo.indicators import registry as indicators
from geo.regions import display
from geo.stats import classify as geo_classify
from geo.stats import intervals
from geo.views import ranked

HAZARD_INDICATORS = ("posyandu_bahaya_tinggi", "posyandu_bahaya_tinggi_pct")
HAZARD_PREFIX = "bahaya_"          # per-type exposure indicators (geo.indicators.hazards)
KADER_INDICATORS = ("kader_per_posyandu", "kader_per_1000_balita", "posyandu_kader5_pct",
                    "kader_terlatih_pct", "posyandu_per_desa")
SURVEY_RE = re.compile(r"^(SSGI|SKI|SSGBI|Riskesdas)\b")


def map_level(region: str) -> str:
    """Level drawn for a selected region: the level below it (provinces for Indonesia)."""
    return "provinsi" if not region else (child_level(level_of(region)) or "desa")


def period_order(period: str) -> tuple:
    """'SSGI 2021' < 'SSGI 2022' < 'SKI 2023' < 'SSGI 2024'; at the same year a survey
    comes after other statements ('reported 2024')."""
    years = re.findall(r"(?:19|20)\d\d", period)
    return (int(years[-1]) if years else 0, bool(SURVEY_RE.match(period)), period)


def periods(long: pd.DataFrame, indicator: str, level: str, region: str = "") -> list[str]:
    """Periods with at least one value of ``indicator`` for ``level`` under ``region``."""
    rows = indicators.values(long, indicator, level, None, region or None)
    return sorted(set(rows["period"]), key=period_order)


def latest_period(long: pd.DataFrame, indicator: str, level: str, region: str = "") -> str | None:
    """The latest period with values for the regions of ``level`` under ``region``."""
    if indicators.get(indicator).source == "registri":
        return indicators.REGISTRY_PERIOD
    found = periods(long, indicator, level, region)
    return found[-1] if found else None


def is_hazard(indicator_id: str) -> bool:
    """Is this a hazard-exposure indicator (all types, or one type: bahaya_<type>_…)?"""
    return indicator_id in HAZARD_INDICATORS or indicator_id.startswith(HAZARD_PREFIX)


def hazard_type_of(indicator_id: str) -> str | None:
    """The one hazard type a per-type indicator counts (bahaya_karhutla_posyandu_tinggi →
    karhutla); None when it counts every type present (posyandu_bahaya_tinggi,
    bahaya_semua_…) or is no hazard indicator."""
    from geo.hazards import types as ht
    if not indicator_id.startswith(HAZARD_PREFIX):
        return None
    rest = indicator_id[len(HAZARD_PREFIX):]
    for t in sorted(ht.IDS, key=len, reverse=True):     # banjir_bandang before banjir
        if rest.startswith(t + "_"):
            return t
    return None


def counted_types(indicator_id: str, present: list[str]) -> list[str]:
    """The hazard types whose zones a hazard indicator counts, of the types ``present`` in
    the hazard data (InaRISK order): one type, or all of them."""
    one = hazard_type_of(indicator_id)
    if one is not None:
        return [one] if one in present else []
    return list(present) if is_hazard(indicator_id) else []


def counted_class(indicator_id: str) -> str:
    """The hazard class a hazard indicator counts (…_rendah / …_sedang / …_tinggi, the share
    of tinggi): the zones of that class are the ones its map draws."""
    from geo.hazards import types as ht
    for k in ht.KELAS:
        if indicator_id.endswith("_" + k):
            return k
    return "tinggi"


def needs_hazards(indicator_ids) -> bool:
    return any(is_hazard(i) for i in indicator_ids)


def long_for(indicator_ids, levels: tuple[str, ...] = LEVELS, region: str = "") -> pd.DataFrame:
    """The long table (geo.datasets.long_table) with what these indicators need: published
    values alone, or with the registry aggregated to ``levels`` (and hazard classes) — of
    the Posyandu inside ``region`` only, when one is given (a map or pack of a region
    draws nothing outside it; the published values stay national, for ranks)."""
    from geo import datasets
    inds = [indicators.get(i) for i in indicator_ids]
    if all(i.source != "registri" for i in inds):
        return datasets.long_table()
    joined = datasets.joined_posyandu()
    if region:
        codes = joined["kode_agregasi"].astype(str)
        joined = joined.loc[codes.str.startswith(region + ".") | (codes == region)]
    # the class per type (not only the highest): per-type indicators and counts per type
    hazard = datasets.hazard_classes(joined) if needs_hazards(indicator_ids) else None
    return datasets.long_table(joined, levels, hazard)


@dataclass
class MapData:
    indicator: indicators.Indicator
    region: str
    region_name: str
    level: str
    period: str
    lang: str
    layer: gpd.GeoDataFrame
    values: pd.DataFrame          # code, name, value, rank, of, unstable, source
    classification: geo_classify.Classification
    colors: list[str]
    counts: list[int]             # per class, then the no-data class
    title: str
    sources: list[str]
    sample_reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    marked: set[str] = field(default_factory=set)
    marked_label: str = ""
    hazards: gpd.GeoDataFrame | None = None     # zones drawn: jenis, kelas, geometry
    hazard_types: list[str] = field(default_factory=list)   # types counted and drawn
    # issue 26: hatching per code (1 "hati-hati", 2 "tidak akurat"); fills that replace the
    # class colour (code → colour, e.g. "not comparable" on a change map) with their legend
    # rows (colour, label, count); the comparison period of a change map
    hatch: dict[str, int] = field(default_factory=dict)
    special_fills: dict[str, str] = field(default_factory=dict)
    special_legend: list[tuple[str, str, int]] = field(default_factory=list)
    compare: str | None = None

    @property
    def sample(self) -> bool:
        return bool(self.sample_reasons)

    @property
    def labels(self) -> list[str]:
        c = self.classification
        return c.labels_id if self.lang == "id" else c.labels_en


def _names() -> pd.Series:
    from geo.regions.boundaries import region_names
    return region_names()


def region_name(region: str) -> str:
    return "Indonesia" if not region else str(_names().get(region, region))


def title_for(ind: indicators.Indicator, level: str, region: str, period: str, lang: str) -> str:
    text = tr("map_of", lang, indicator=ind.label(lang), level=LEVEL_NAMES[lang][level],
              region=region_name(region))
    return f"{text} ({period})" if period and period != indicators.REGISTRY_PERIOD else text


def _sources(ind: indicators.Indicator, vals: pd.DataFrame, period: str, lang: str,
             posyandu_info, hazard_info) -> list[str]:
    if ind.source == "registri":
        infos = [posyandu_info] + ([hazard_info] if is_hazard(ind.id)
                                   and hazard_info is not None else [])
        return [f"{tr('data', lang)}: " + _dataset_name(i, lang) for i in infos]
    n = int(vals["source"].dropna().nunique()) if "source" in vals else 0
    key = "survey_source" if ind.id == "stunting" else "blankspot_source"
    return [f"{tr('source', lang)}: " + tr(key, lang, period=period, n=n)]


def _dataset_name(info, lang: str) -> str:
    """'Registri Posyandu sampel (nasional, seed 0) — DATA SAMPEL' / 'registri (2026-11-01)'."""
    from geo.datasets import SAMPLE_NAMES
    if info.sample:
        return SAMPLE_NAMES.get(info.name, {}).get(lang, info.name) + " — " + tr("sample_short", lang)
    return f"{info.name} ({info.date})" if info.date else info.name


def map_data(long: pd.DataFrame, indicator_id: str, region: str = "", period: str | None = None,
             level: str | None = None, lang: str = "id", method: str = "fisher_jenks",
             posyandu_info=None, hazard_info=None, hazard_zones: gpd.GeoDataFrame | None = None,
             hazard_layers=None) -> MapData:
    """Everything one exported map shows. ``long`` is geo.datasets.long_table (see
    ``long_for``); the dataset infos and hazard layers (geo.hazards.exposure.HazardLayers:
    zones and rasters) default to geo.datasets'. A hazard indicator draws the zones of
    every type it counts, rasters polygonised for the view (``hazard_zones`` alone: only
    those polygons, for callers without the rasters)."""
    from geo import datasets
    ind = indicators.get(indicator_id)
    region = "" if region in (None, "", "00") else region
    level = level or map_level(region)
    if period is None:
        period = latest_period(long, indicator_id, level, region) or ""
    layer = display.display_layer(level, region or None)
    # the view model (geo.views.ranked): the dashboard's map and Peringkat read the same
    view = ranked.from_long(long, indicator_id, level, period, parent=region or None,
                            names=layer.set_index("code")["name"])
    vals = view.values[["code", "name", "value", "unstable", "source", "numerator",
                        "denominator", "rse", "rank", "of"]]
    classification = geo_classify.classify(vals["value"], ind, method=method)
    colors = geo_classify.colors_for(ind, len(classification.labels_id))
    classes = classification.class_of(
        layer["code"].map(vals.set_index("code")["value"]).to_numpy(dtype=float))
    counts = list(pd.Series(classes).value_counts()
                  .reindex(list(range(len(colors))) + [-1], fill_value=0).astype(int))

    reasons: list[str] = []
    if ind.source == "registri":
        posyandu_info = posyandu_info or datasets.posyandu_info()
        if posyandu_info.sample:
            reasons.append(tr("sample_posyandu", lang))
    zones, types = None, []
    if is_hazard(ind.id):
        if hazard_layers is None and (hazard_zones is None or hazard_info is None):
            hazard_layers, hazard_info = datasets.hazard_layers()
        if hazard_layers is None:
            from geo.hazards.exposure import HazardLayers
            hazard_layers = HazardLayers(hazard_zones)
        types = counted_types(ind.id, hazard_layers.types())
        zones = hazard_view_zones(hazard_layers, types, layer, region)
        zones = zones.loc[zones["kelas"] == counted_class(ind.id)].reset_index(drop=True)
        if hazard_info is not None and hazard_info.sample:
            reasons.append(tr("sample_hazards", lang))
    notes = []
    have = int(vals["value"].notna().sum())
    if ind.source != "registri" and have < len(layer):
        notes.append(tr("coverage", lang, n=have, total=len(layer),
                        level=LEVEL_NAMES[lang][level], period=period))
    if ind.id == "stunting" and level == "provinsi" and published.old_papua_geography(period):
        notes.append(tr("old_geography", lang, period=period))
    unstable = int(vals["unstable"].fillna(False).astype(bool).sum())
    if unstable:
        notes.append(tr("unstable", lang, n=unstable, d=indicators.DEFAULT_MIN_DENOMINATOR))
    hatch: dict[str, int] = {}
    if "rse" in vals and "denominator" in vals:
        levels_ = intervals.hatch_levels(ind, vals["rse"], vals["denominator"],
                                         vals["unstable"].fillna(False).to_numpy(dtype=bool))
        hatch = {c: int(h) for c, h in zip(vals["code"], levels_) if h}
        if hatch:
            notes.append(intervals.rule_text(indicators.DEFAULT_MIN_DENOMINATOR, lang))
    marked: set[str] = set()
    if ind.id in KADER_INDICATORS:
        kpp = indicators.values(long, "kader_per_posyandu", level, indicators.REGISTRY_PERIOD,
                                region or None)
        marked = set(kpp.loc[kpp["value"] < indicators.KADER_STANDARD, "code"])
    return MapData(
        indicator=ind, region=region, region_name=region_name(region), level=level,
        period=period, lang=lang, layer=layer, values=vals, classification=classification,
        colors=colors, counts=counts, title=title_for(ind, level, region, period, lang),
        sources=_sources(ind, vals, period, lang, posyandu_info, hazard_info),
        sample_reasons=reasons, notes=notes, marked=marked,
        marked_label=tr("below_standard", lang) if marked else "", hazards=zones,
        hazard_types=types, hatch=hatch)


def hazard_view_zones(layers, types: list[str], layer: gpd.GeoDataFrame,
                      region: str) -> gpd.GeoDataFrame:
    """The zones of ``types`` inside the drawn area (all of Indonesia without a region):
    polygons clipped, rasters polygonised for the view. Columns jenis, kelas, geometry."""
    import shapely

    from geo.hazards.raster_zones import display_zones
    area = shapely.union_all(layer.geometry.values) if region else None
    zones = layers.zones
    parts = []
    if zones is not None and len(zones):
        zones = zones.loc[zones["jenis"].astype(str).isin(types)]
        if area is not None:
            zones = zones.loc[zones.intersects(area)].copy()
            zones["geometry"] = zones.geometry.intersection(area)
        parts.append(zones[["jenis", "kelas", "geometry"]])
    for r in layers.rasters:
        if r.jenis in types:
            parts.append(display_zones(r, area)[["jenis", "kelas", "geometry"]])
    if not parts:
        return gpd.GeoDataFrame({"jenis": [], "kelas": []}, geometry=[], crs="EPSG:4326")
    out = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry",
                           crs="EPSG:4326")
    out["jenis"] = out["jenis"].astype(str)
    return out.loc[~out.geometry.is_empty].reset_index(drop=True)


def class_index(data: MapData) -> np.ndarray:
    """Class of every polygon of the layer (-1 = no data)."""
    return data.classification.class_of(
        data.layer["code"].map(data.values.set_index("code")["value"]).to_numpy(dtype=float))


def display_layer_names(level: str, region: str) -> pd.DataFrame:
    """code, name of the regions drawn for ``level`` under ``region`` (display layer)."""
    layer = display.display_layer(level, region or None)
    return pd.DataFrame({"code": layer["code"].to_numpy(), "name": layer["name"].to_numpy()})
