"""Risiko Bencana pieces: hazard-type picker, the hazards of the map (polygons and
polygonised rasters in per-type colours, Posyandu in tinggi ringed; written to a static
file per view, so the map HTML carries none of it), the per-kecamatan table and the list
of exposed Posyandu with CSV/XLSX/GeoJSON downloads."""
from __future__ import annotations

import html

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st

from components import data, state, tables
from components.i18n import fmt_number, lang, t
from components.map import files as mapdata
from geo.codes import under
from geo.hazards import types as ht
from geo.hazards.exposure import COUNT_KELAS, exposed_rows, exposure_wide
from geo.indicators.hazards import hazard_indicator_id, hazard_share_id
from geo.regions import mapfiles

HIGHLIGHT = "#000000"


def type_options() -> list[str]:
    layers, _ = data.hazard_layers()
    return [ht.ALL, *layers.types()]


def type_of_indicator(indicator: str | None) -> str | None:
    """The hazard type an exposure indicator is about ("bahaya_karhutla_posyandu_tinggi" →
    "karhutla"), None for any other indicator."""
    text = str(indicator or "")
    for j in sorted((*ht.ORDER, ht.ALL), key=len, reverse=True):
        if text.startswith(f"bahaya_{j}_"):
            return j
    return None


def type_select() -> str:
    """Hazard type ("semua" or an InaRISK id present in the data), kept in the URL
    (``bahaya``). A link without it but with a type's indicator (``indikator=
    bahaya_karhutla_posyandu_tinggi``) opens that type; a type the data lack gets a notice."""
    options = type_options()

    def parse(raw: str) -> str:
        if not raw:
            asked = type_of_indicator(st.session_state.get("indicator"))
            return asked if asked in options else options[0]
        if raw not in options:
            raise ValueError(raw)
        return raw
    return state.bound("bahaya", st.radio, t("hazard_type"), parse, str, key="hazard_type",
                       options=options, horizontal=True,
                       format_func=lambda o: ht.label(o, lang()))


def types_caption(hazard_type: str) -> None:
    """What "Semua bahaya" counts: every hazard type in the data, by name."""
    if hazard_type == ht.ALL:
        names = [ht.label(j, lang()) for j in data.hazard_layers()[0].types()]
        st.caption(t("all_hazards_are", types=", ".join(names) or "–"))


def indicator_options(hazard_type: str) -> list[str]:
    return [hazard_indicator_id(hazard_type, "posyandu", "tinggi"), hazard_share_id(hazard_type),
            hazard_indicator_id(hazard_type, "balita", "tinggi"),
            hazard_indicator_id(hazard_type, "kader", "tinggi")]


def _area(region: str):
    return shapely.union_all(data.display_layer(data.map_level(region), region or None)
                             .geometry.values)


def map_config(region: str, hazard_type: str, projector: bool = False) -> dict | None:
    """What the map needs to draw the hazards of the view: the URL of its hazard file
    (geo.regions.mapfiles.hazard_file: zones and Posyandu in tinggi, fetched once per browser), the
    colour of each type and class (the legend names them) and the rings' tooltip text
    (escaped); in projector mode the zones are hatched. None when there is nothing."""
    rel = _hazard_file(data.data_version("bahaya", "batas", "posyandu"), region, hazard_type)
    if rel is None:
        return None
    types = data.hazard_layers()[0].types() if hazard_type == ht.ALL else [hazard_type]
    colors = {f"{j}|{k}": ht.BY_ID[j].color(k) if j in ht.BY_ID else "#999999"
              for j in types for k in ht.KELAS}
    # projector: zones hatched (peta-map.js), never read as a class of the choropleth
    return {"url": mapdata.static_url(rel), "colors": colors,
            "high": html.escape(t("posyandu_high")), "hatch": bool(projector)}


@st.cache_resource(max_entries=256, show_spinner=False)
def _hazard_file(dv: str, region: str, hazard_type: str) -> str | None:
    zones = view_zones(region, hazard_type)
    high = exposed(region, hazard_type, ("tinggi",))[["lat", "lon", "nama"]]
    if not len(zones) and not len(high):
        return None
    return mapfiles.hazard_file(mapdata.GEO_DIR, dv, f"{region or 'id'}-{hazard_type}", zones,
                                high)


def view_zones(region: str, hazard_type: str) -> gpd.GeoDataFrame:
    """Zones of ``hazard_type`` (all types for "semua") clipped to the view, rasters
    polygonised for the view: columns jenis, kelas, sampel, geometry."""
    from geo.hazards.raster_zones import display_zones
    layers, _ = data.hazard_layers()
    area = _area(region) if region else None
    zones = layers.zones
    if hazard_type != ht.ALL:
        zones = zones.loc[zones["jenis"].astype(str) == hazard_type]
    if len(zones) and region:
        zones = zones.loc[zones.intersects(area)].copy()
        zones["geometry"] = zones.geometry.intersection(area)
    cols = ["jenis", "kelas", "sampel", "geometry"]
    parts = [zones[cols]] if len(zones) else []
    for r in layers.rasters:
        if hazard_type in (ht.ALL, r.jenis):
            parts.append(display_zones(r, area)[cols])
    out = pd.concat(parts, ignore_index=True) if parts else \
        gpd.GeoDataFrame({"jenis": [], "kelas": [], "sampel": []}, geometry=[], crs="EPSG:4326")
    out = gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")
    return out.loc[~out.geometry.is_empty]


def hatch_style(color: str, spacing: int = 7, width: int = 2) -> str:
    """CSS of a legend swatch hatched as the projector map draws the zones."""
    return (f"background:repeating-linear-gradient(-45deg,{color} 0 {width}px,"
            f"transparent {width}px {spacing}px);border:1px solid {color}")


def legend(hazard_type: str, projector: bool = False) -> list[tuple[str, str]]:
    """The hazard rows of the map's legend: a swatch per type and class; in projector
    mode one hatched swatch per type and one line for the classes (the legend fits
    1366×768)."""
    types = data.hazard_layers()[0].types() if hazard_type == ht.ALL else [hazard_type]
    if projector:
        rows = [(hatch_style(ht.get(j).color("tinggi")),
                 t("hazard_zone_of", type=ht.label(j, lang()).lower() if lang() == "id"
                   else ht.label(j, lang()))) for j in types]
        rows.append((hatch_style("#333333", 12, 1) + ";opacity:.9", t("hatch_classes")))
        rows.append((f"background:#fff;border:2px solid {HIGHLIGHT};border-radius:50%",
                     t("posyandu_high")))
        return rows
    rows = [(f"background:{ht.get(j).color(k)};opacity:.7", f"{ht.label(j, lang())}: {t(k)}")
            for j in types for k in ht.KELAS]
    rows.append((f"background:#fff;border:2px solid {HIGHLIGHT};border-radius:50%",
                 t("posyandu_high")))
    return rows


def exposed(region: str, hazard_type: str, classes=ht.KELAS) -> pd.DataFrame:
    """Posyandu of the region whose class for ``hazard_type`` is in ``classes`` (cached per
    data version: a shared frame, not to be modified)."""
    return _exposed(data.data_version(*data.EXPOSURE), region, hazard_type, tuple(classes))


@st.cache_resource(max_entries=256, show_spinner=False)
def _exposed(dv: str, region: str, hazard_type: str, classes: tuple) -> pd.DataFrame:
    return exposed_rows(data.exposed_list(), hazard_type, classes, region)


@st.cache_resource(max_entries=16, show_spinner=False)
def _kecamatan_wide(dv: str, hazard_type: str) -> pd.DataFrame:
    """Per kecamatan: counts per class and the share in tinggi, with names."""
    wide = exposure_wide(data.exposure_counts(), hazard_type)
    wide = wide.loc[wide["level"] == "kecamatan"].drop(columns="level")
    wide["code"] = wide["code"].astype(str)
    wide.insert(1, "name", wide["code"].map(data.names()))
    return wide.reset_index(drop=True)


def kecamatan_table(region: str, hazard_type: str) -> pd.DataFrame:
    """Per kecamatan under the region: Posyandu, balita sasaran and kader per class, and the
    share of Posyandu in tinggi — the worst first."""
    wide = _kecamatan_wide(data.data_version(*data.EXPOSURE), hazard_type)
    wide = wide.loc[under(wide["code"], region)]
    wide = wide.sort_values(["posyandu_tinggi", "tinggi_pct"], ascending=False)
    names = {"code": t("code"), "name": t("name"), "tinggi_pct": t("share_high")}
    for m, label in (("posyandu", "Posyandu"), ("balita_sasaran", t("balita")),
                     ("kader", t("kader"))):
        for k in COUNT_KELAS:
            names[f"{m}_{k}"] = f"{label} {t(k if k != 'tidak_ada' else 'none_class')}"
    wide["tinggi_pct"] = wide["tinggi_pct"].round(1)
    return wide.rename(columns=names)


def kecamatan_section(region: str, hazard_type: str) -> None:
    st.header(t("kecamatan_table", type=ht.label(hazard_type, lang())))
    table = kecamatan_table(region, hazard_type)
    if not len(table):
        st.info(t("exposure_none"))
        return
    tables.show_table(table, f"paparan-{hazard_type}-kecamatan-{region or 'indonesia'}",
                      key="tbl-bahaya-kec", height=360)


def exposed_section(region: str, hazard_type: str, sample: bool) -> None:
    """The list of exposed Posyandu by name, with CSV/XLSX/GeoJSON downloads."""
    st.header(t("exposed_list", type=ht.label(hazard_type, lang())))
    def parse(raw: str) -> list[str]:
        chosen = [k for k in raw.split(",") if k and k != "-"]   # "-": none chosen
        if any(k not in ht.KELAS for k in chosen):
            raise ValueError(raw)
        return chosen
    chosen = state.bound("kelas_bahaya", st.multiselect, t("hazard_class"), parse,
                         lambda v: ",".join(v) or "-", key="exposed-classes",
                         options=list(ht.KELAS), format_func=t, select_all=False)
    rows = exposed(region, hazard_type, tuple(chosen))
    types = data.hazard_layers()[0].types()
    cols = ["nama", "desa", "kecamatan", "kabupaten", *[f"{j}_kelas" for j in types],
            "kelas_tertinggi",
            "balita_sasaran", "jumlah_kader", "lat", "lon", "id", "kode_desa"]
    table = rows[cols].copy()
    for col in [f"{j}_kelas" for j in types] + ["kelas_tertinggi"]:   # not "None"
        table[col] = table[col].astype(object).where(table[col].notna(), t("none_class"))
    if sample:      # the zones are samples: every row says so (a column read by people)
        table.insert(0, t("data_kind"), t("sample_zone_mark"))
    st.caption(t("exposed_count", n=fmt_number(len(table), 0)))
    if not len(table):       # no Posyandu there, none in these classes, or no class chosen
        st.info(t("exposed_none", type=ht.label(hazard_type, lang())))
        return
    labels = {"nama": t("name"), "desa": t("village"), "kecamatan": t("kecamatan"),
              "kabupaten": t("col_kabupaten"), "lat": t("col_lat"), "lon": t("col_lon"),
              "id": t("col_id"), "kode_desa": t("col_kode_desa"),
              "kelas_tertinggi": t("highest_class"), "balita_sasaran": t("balita"),
              "jumlah_kader": t("kader"),
              **{f"{j}_kelas": ht.label(j, lang()) for j in types}}
    shown = table.rename(columns=labels)
    name = f"posyandu-terpapar-{hazard_type}-{region or 'indonesia'}"
    tables.show_table(shown, name, key="tbl-bahaya-list", height=360)

    def geojson() -> bytes:       # made on click, not on every run
        geo = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["lon"], table["lat"]),
                               crs="EPSG:4326")
        return geo.to_json(drop_id=True).encode("utf-8")

    st.download_button(t("download_geojson"), geojson, file_name=f"{name}.geojson",
                       mime="application/geo+json", key="tbl-bahaya-list-geojson",
                       on_click="ignore")
