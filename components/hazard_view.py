"""Risiko Bencana pieces: hazard-type picker, zones for the map (polygons and polygonised
rasters, per-type colours, Posyandu in tinggi ringed), the per-kecamatan table and the
list of exposed Posyandu with CSV/XLSX/GeoJSON downloads."""
from __future__ import annotations

import html

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st

from components import data, tables
from components.i18n import fmt_number, lang, t
from geo import hazard_types as ht
from geo.exposure import COUNT_KELAS, exposure_wide
from geo.indicators import hazard_indicator_id, hazard_share_id

HIGHLIGHT = "#000000"


def type_options() -> list[str]:
    layers, _ = data.hazard_layers()
    return [ht.ALL, *layers.types()]


def type_select() -> str:
    """Hazard type ("semua" or an InaRISK id present in the data), kept in session state."""
    options = type_options()
    if st.session_state.get("hazard_type") not in options:
        st.session_state["hazard_type"] = options[0]
    return st.radio(t("hazard_type"), options, key="hazard_type", horizontal=True,
                    format_func=lambda o: ht.label(o, lang()))


def indicator_options(hazard_type: str) -> list[str]:
    return [hazard_indicator_id(hazard_type, "posyandu", "tinggi"), hazard_share_id(hazard_type),
            hazard_indicator_id(hazard_type, "balita", "tinggi"),
            hazard_indicator_id(hazard_type, "kader", "tinggi")]


def _area(region: str):
    return shapely.union_all(data.display_layer(data.map_level(region), region or None)
                             .geometry.values)


def map_layer(region: str, hazard_type: str, language: str) -> gpd.GeoDataFrame:
    """Zones of ``hazard_type`` in the view (cached per data version, see _map_layer)."""
    return _map_layer(data.data_version("bahaya", "batas"), region, hazard_type, language)


@st.cache_resource(max_entries=48, show_spinner=False)
def _map_layer(dv: str, region: str, hazard_type: str, language: str) -> gpd.GeoDataFrame:
    """Zones of ``hazard_type`` (all types for "semua") clipped to the view, rasters
    polygonised for the view, coloured by each type's ramp; plus a ring around every
    Posyandu in tinggi (sized to the view)."""
    from geo.hazard_raster import display_zones
    layers, _ = data.hazard_layers()
    area = _area(region)
    zones = layers.zones
    if hazard_type != ht.ALL:
        zones = zones.loc[zones["jenis"].astype(str) == hazard_type]
    if len(zones) and region:
        zones = zones.loc[zones.intersects(area)].copy()
        zones["geometry"] = zones.geometry.intersection(area)
    parts = [zones[["jenis", "kelas", "sampel", "geometry"]]] if len(zones) else []
    for r in layers.rasters:
        if hazard_type in (ht.ALL, r.jenis):
            parts.append(display_zones(r, area if region else None)[["jenis", "kelas", "sampel",
                                                                      "geometry"]])
    out = pd.concat(parts, ignore_index=True) if parts else \
        gpd.GeoDataFrame({"jenis": [], "kelas": [], "sampel": []}, geometry=[], crs="EPSG:4326")
    out = gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")
    out = out.loc[~out.geometry.is_empty]
    sample = t("sample_mark")
    out["label"] = [html.escape(f"{ht.label(j, language)} — {t(k)}" + (f" ({sample})" if s else ""))
                    for j, k, s in zip(out["jenis"], out["kelas"], out["sampel"])]
    out["style"] = [{"fillColor": ht.BY_ID[j].color(k) if j in ht.BY_ID else "#999999",
                     "color": ht.BY_ID[j].color(k) if j in ht.BY_ID else "#999999",
                     "weight": 1, "fillOpacity": 0.55} for j, k in zip(out["jenis"], out["kelas"])]
    return pd.concat([out, _high_rings(region, hazard_type, area)], ignore_index=True)


def _high_rings(region: str, hazard_type: str, area) -> gpd.GeoDataFrame:
    """Posyandu in tinggi of the type (drawn as black rings through the hazard layer)."""
    listing = exposed(region, hazard_type, ("tinggi",))
    minx, miny, maxx, maxy = shapely.bounds(area)
    radius = max(maxx - minx, maxy - miny) / 220.0
    rings = shapely.buffer(shapely.points(listing["lon"], listing["lat"]), radius, quad_segs=4)
    return gpd.GeoDataFrame({
        "jenis": hazard_type, "kelas": "tinggi", "sampel": False,
        "label": [html.escape(f"{n} — {t('posyandu_high')}") for n in listing["nama"]],
        "style": [{"fillColor": "#ffffff", "color": HIGHLIGHT, "weight": 2, "fillOpacity": 0.6}]
        * len(listing)}, geometry=list(rings), crs="EPSG:4326")


def legend(hazard_type: str) -> list[tuple[str, str]]:
    types = data.hazard_layers()[0].types() if hazard_type == ht.ALL else [hazard_type]
    rows = [(f"background:{ht.get(j).color(k)};opacity:.7", f"{ht.label(j, lang())}: {t(k)}")
            for j in types for k in ht.KELAS]
    rows.append((f"background:#fff;border:2px solid {HIGHLIGHT};border-radius:50%",
                 t("posyandu_high")))
    return rows


def _under(codes: pd.Series, region: str) -> pd.Series:
    codes = codes.astype(str)
    return (codes == region) | codes.str.startswith(region + ".") if region else \
        pd.Series(True, index=codes.index)


def exposed(region: str, hazard_type: str, classes=ht.KELAS) -> pd.DataFrame:
    """Posyandu of the region whose class for ``hazard_type`` is in ``classes``."""
    listing = data.exposed_list()
    col = "kelas_tertinggi" if hazard_type == ht.ALL else f"{hazard_type}_kelas"
    sel = listing[col].isin(list(classes)) & _under(listing["kode_agregasi"].fillna(""), region)
    rank = listing.loc[sel, col].map(ht.KELAS_RANK)
    return listing.loc[sel].assign(_r=-rank).sort_values(["_r", "kecamatan", "nama"]) \
        .drop(columns="_r")


def kecamatan_table(region: str, hazard_type: str) -> pd.DataFrame:
    """Per kecamatan under the region: Posyandu, balita sasaran and kader per class, and the
    share of Posyandu in tinggi — the worst first."""
    wide = exposure_wide(data.exposure_counts(), hazard_type)
    wide = wide.loc[(wide["level"] == "kecamatan") & _under(wide["code"], region)]
    wide.insert(1, "name", wide["code"].map(data.names()))
    wide = wide.drop(columns="level").sort_values(["posyandu_tinggi", "tinggi_pct"],
                                                  ascending=False)
    names = {"code": t("code"), "name": t("name"), "tinggi_pct": t("share_high")}
    for m, label in (("posyandu", "Posyandu"), ("balita_sasaran", t("balita")),
                     ("kader", t("kader"))):
        for k in COUNT_KELAS:
            names[f"{m}_{k}"] = f"{label} {t(k if k != 'tidak_ada' else 'none_class')}"
    wide["tinggi_pct"] = wide["tinggi_pct"].round(1)
    return wide.rename(columns=names)


def kecamatan_section(region: str, hazard_type: str) -> None:
    st.subheader(t("kecamatan_table", type=ht.label(hazard_type, lang())))
    table = kecamatan_table(region, hazard_type)
    tables.show_table(table, f"paparan-{hazard_type}-kecamatan-{region or 'indonesia'}",
                      key="tbl-bahaya-kec", height=360)


def exposed_section(region: str, hazard_type: str, sample: bool) -> None:
    """The list of exposed Posyandu by name, with CSV/XLSX/GeoJSON downloads."""
    st.subheader(t("exposed_list", type=ht.label(hazard_type, lang())))
    chosen = st.multiselect(t("hazard_class"), list(ht.KELAS), default=["tinggi"],
                            format_func=t, key="exposed-classes")
    rows = exposed(region, hazard_type, tuple(chosen))
    types = data.hazard_layers()[0].types()
    cols = ["nama", "desa", "kecamatan", *[f"{j}_kelas" for j in types], "kelas_tertinggi",
            "balita_sasaran", "jumlah_kader", "lat", "lon", "id", "kode_desa"]
    table = rows[cols].copy()
    if sample:
        table.insert(0, "data", t("sample_mark"))
    st.caption(t("exposed_count", n=fmt_number(len(table), 0)))
    labels = {"nama": t("name"), "desa": t("village"), "kecamatan": t("kecamatan"),
              "kelas_tertinggi": t("highest_class"), "balita_sasaran": t("balita"),
              "jumlah_kader": t("kader"),
              **{f"{j}_kelas": ht.label(j, lang()) for j in types}}
    shown = table.rename(columns=labels)
    name = f"posyandu-terpapar-{hazard_type}-{region or 'indonesia'}"
    tables.show_table(shown, name, key="tbl-bahaya-list", height=360)
    geo = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["lon"], table["lat"]),
                           crs="EPSG:4326")
    st.download_button(t("download_geojson"), geo.to_json(drop_id=True).encode("utf-8"),
                       file_name=f"{name}.geojson", mime="application/geo+json",
                       key="tbl-bahaya-list-geojson")
