"""The one map builder of the dashboard (folium inside Streamlit), used by every page.

* A choropleth of the level below the selected region. Its geometry is a static file
  (geo.regions.mapfiles, written at warm-up, served at /app/static/geo/..., named by its source
  key): the browser fetches it once and keeps it; the map HTML carries only colour, value
  and rank per code, so a rerun costs milliseconds of server time, not seconds. Without
  a geometry_url the geometry is embedded (small maps).
* The layer is drawn by static/vendor/_project/peta-map.js: hover tooltip; click or tap
  opens a popup with the name, the value and "Buka wilayah ini", which drills down (a
  tap while scrolling never does); gesture handling (one finger scrolls the page, two
  move the map); projector labels, hidden where they would overlap a larger region's.
* Posyandu: proportional circles per region (national and province maps) or clustered
  points fetched per kabupaten; points still embeds rows (add_points).
* Every text that reaches HTML (names, values, labels) is escaped on the server.
* The drill-down returns the region's code as streamlit-folium's last_active_drawing
  (st_folium returns only that, so panning and zooming do not rerun the app).
* A map is two parts (MapParts): the base, the same for every view of a visitor (language,
  basemap, projector), and this view's layer, a feature group calling
  PetaMap.view(map, cfg). streamlit-folium draws the base once and afterwards only swaps
  the feature group, so a map that stays mounted (components.map.frame) receives a few
  kilobytes per view, not a new map.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.plugins import FastMarkerCluster
from jinja2 import Template
from streamlit_folium import st_folium

from components.i18n import fmt_number, pick, t
from components.map import uncertainty
from components.map.scripts import CLUSTER, map_scripts
from geo.indicators.registry import Indicator
from geo.regions import display as geo_display
from geo.regions import mapfiles
from geo.stats import classify as geo_classify

BORDER = "#4d4d4d"


@dataclass
class Choropleth:
    """What a page wants drawn: one indicator over the regions of one level."""
    layer: gpd.GeoDataFrame            # display geometry: code, name, geometry
    values: pd.DataFrame               # code, value, unstable (+ rank, of, numerator,
    #                                    denominator, ci_low, ci_high, rse)
    indicator: Indicator
    classification: geo_classify.Classification
    colors: list[str]
    lang: str = "id"
    marked: set[str] = field(default_factory=set)   # codes to outline (e.g. below a standard)
    marked_label: str = ""
    fills: dict[str, str] = field(default_factory=dict)   # code → fill replacing its class
    notes: dict[str, str] = field(default_factory=dict)   # code → tooltip note (plain text)


def _bounds(gdf: gpd.GeoDataFrame):
    minx, miny, maxx, maxy = gdf.total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def class_colors(ch: Choropleth) -> np.ndarray:
    """Fill colour of each feature of the layer (grey for no data)."""
    vals = ch.layer["code"].map(ch.values.set_index("code")["value"])
    idx = ch.classification.class_of(vals.to_numpy(dtype=float))
    palette = np.array(ch.colors + [geo_classify.NO_DATA_COLOR], dtype=object)
    return palette[np.where(idx < 0, len(ch.colors), idx)]


def _feature_properties(ch: Choropleth) -> pd.DataFrame:
    lang = ch.lang
    layer = ch.layer
    codes = layer["code"].tolist()
    v = ch.values.set_index("code")

    def col(name, missing=np.nan):
        """The column ``name`` of the values per region of the layer (``missing`` for a
        region without a row, and for every region when the column is absent): each
        column read once into a dict, not looked up per region (issue 29)."""
        if name not in v:
            return [missing] * len(codes)
        by_code = v[name].to_dict()
        return [by_code.get(c, np.nan) for c in codes]
    value = col("value")
    unstable = [False if pd.isna(u) else bool(u) for u in col("unstable", False)]
    rank, of = col("rank", pd.NA), col("of", pd.NA)
    unit = ch.indicator.unit(lang)
    value_text = [
        (f"{fmt_number(x, ch.indicator.decimals, lang)} {unit}" if pd.notna(x) else t("no_data"))
        + (f" {t('unstable_mark')}" if u and pd.notna(x) else "")
        for x, u in zip(value, unstable)]
    low = col("rank_low", pd.NA)
    high = col("rank_high", pd.NA) if "rank_high" in v else low
    rank_text = [uncertainty.rank_text(r, n, lo, hi) for r, n, lo, hi in zip(rank, of, low, high)]
    fills = class_colors(ch)
    marked = layer["code"].isin(ch.marked).to_numpy()
    hatch = layer["code"].map(uncertainty.hatching(ch.indicator, ch.values).set_axis(
        ch.values["code"])).fillna(0).astype(int) if len(ch.values) else \
        pd.Series(0, index=layer.index)
    interval_text = [uncertainty.interval_text(ch.indicator, lo, hi, r, h) if pd.notna(x) else ""
                     for x, lo, hi, r, h in zip(value, col("ci_low"), col("ci_high"), col("rse"),
                                                hatch)]
    burden_text = [uncertainty.burden_text(ch.indicator, x, n) if pd.notna(val) else ""
                   for val, x, n in zip(value, col("numerator"), col("denominator"))]
    props = pd.DataFrame({
        "code": layer["code"].to_numpy(),
        "name": [html.escape(str(n)) for n in layer["name"]],
        "nilai": [html.escape(s) for s in value_text],
        "peringkat": [html.escape(s) for s in rank_text],
        "selang": [html.escape(s) for s in interval_text],
        "jumlah": [html.escape(s) for s in burden_text],
        "arsir": hatch.to_numpy(dtype=int),
    })
    if ch.fills:
        fills = np.array([ch.fills.get(c, f) for c, f in zip(layer["code"], fills)], dtype=object)
    if ch.marked or ch.notes:
        own = [html.escape(ch.notes.get(c, "")) for c in layer["code"]]
        props["catatan"] = [("; ".join(filter(None, (html.escape(ch.marked_label) if m else "",
                                                     o))))
                            for m, o in zip(marked, own)]
    props["style"] = [
        {"fillColor": f, "color": "#000000" if m else BORDER, "weight": 3 if m else 0.8,
         "fillOpacity": 0.85, "dashArray": "6 4" if m else None}
        for f, m in zip(fills, marked)]
    return props


def _tooltip_fields(ch: Choropleth) -> tuple[list[str], list[str]]:
    fields = ["name", "nilai", "peringkat"]
    aliases = [t("name"), ch.indicator.label(ch.lang), t("rank")]
    if ch.marked or ch.notes:
        fields.append("catatan")
        aliases.append(t("note"))
    return fields, aliases


def _text(ch: Choropleth) -> dict:
    """Labels of the tooltip and popup (escaped)."""
    return {k: html.escape(v) for k, v in {
        "name": t("name"), "value": ch.indicator.label(ch.lang), "rank": t("rank"),
        "note": t("note"), "noData": t("no_data"), "posyandu": t("posyandu_count"),
        "open": t("open_region"), "interval": uncertainty.text("interval"),
        "burden": uncertainty.text("burden")}.items()}


def _values_config(ch: Choropleth) -> tuple[dict, dict]:
    """Per code: [fill, outlined, hatching 0/1/2] and [value text, rank text, note,
    interval text, count text] (escaped)."""
    props = _feature_properties(ch)
    style = {c: [s["fillColor"], 1 if s["color"] == "#000000" else 0, int(h)]
             for c, s, h in zip(props["code"], props["style"], props["arsir"])}
    notes = props["catatan"] if "catatan" in props else [""] * len(props)
    info = {c: [v, r, n, ci, b] for c, v, r, n, ci, b in zip(
        props["code"], props["nilai"], props["peringkat"], notes, props["selang"],
        props["jumlah"])}
    return style, info


def _timeline_text() -> dict:
    return {"play": pick(("Putar", "Play")), "pause": pick(("Jeda", "Pause")),
            "period": pick(("Periode", "Period"))}


def _points_text() -> dict:
    return {k: html.escape(t(k)) for k in ("village", "kader", "internet", "strata", "yes", "no",
                                            "sample_badge")} | {"sample": html.escape(t("sample_badge"))}


class PetaCall(MacroElement):
    """A call of static/vendor/_project/peta-map.js on ``map_``:
    ``PetaMap.<function>(map, cfg)``, e.g. "view" (a choropleth view: geometry from a static
    file or inline, values and colours per code from here) or "plan" (Konektivitas)."""
    _template = Template("""
        {% macro script(this, kwargs) %}
        PetaMap.{{ this.function }}({{ this.map.get_name() }}, {{ this.cfg|tojson }});
        {% endmacro %}
    """)

    def __init__(self, function: str, cfg: dict, map_: folium.Map):
        super().__init__()
        self._name = "PetaCall"
        self.function = function
        self.cfg = cfg
        self.map = map_


@dataclass
class MapParts:
    """A map as streamlit-folium draws it: ``base`` (the same for every view of a visitor:
    its language, basemap and projector mode) and ``layer`` (this view)."""
    base: folium.Map
    layer: folium.FeatureGroup

    def whole(self) -> folium.Map:
        """The base with this view's layer added: the map as one folium.Map (to render or
        inspect on its own, e.g. its size or its linked files)."""
        self.layer.add_to(self.base)
        return self.base


def base_map(*, basemap: bool = False, fill_height: bool = False) -> folium.Map:
    """The map every view is drawn in. Nothing in it depends on the view (its bounds are
    the view's), so streamlit-folium keeps it mounted from one view to the next."""
    # maxZoom: without a tile layer Leaflet has none, and MarkerCluster refuses to start.
    # gestureHandling (static/vendor/leaflet-gesture-handling): one finger scrolls the
    # page, two fingers move the map; on a desktop Ctrl + wheel zooms.
    m = folium.Map(location=[-2.5, 118], zoom_start=5, tiles=None, control_scale=False,
                   prefer_canvas=False, zoom_snap=0.25, attribution_control=basemap,
                   maxZoom=18, gestureHandling=True,
                   gestureHandlingOptions={"text": {
                       "touch": t("gesture_touch"), "scroll": t("gesture_scroll"),
                       "scrollMac": t("gesture_scroll_mac")}, "duration": 1500})
    map_scripts(m)
    if basemap:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(m)
    m.get_root().header.add_child(folium.Element(_MAP_CSS))
    if fill_height:
        m.get_root().header.add_child(folium.Element(
            "<style>.folium-map,#map_div{height:100vh !important}</style>"))
    return m


def sample_stamp(posyandu: bool = False, hazards: bool = False) -> dict | None:
    """What the map's DATA SAMPEL stamp says (peta-map.js draws it inside the map), or None
    when the view shows no sample data: ``posyandu`` (the generated registry is drawn or
    counted) and/or ``hazards`` (the sample hazard zones are drawn or counted)."""
    parts = ([t("stamp_posyandu")] if posyandu else []) + ([t("stamp_hazards")] if hazards else [])
    if not parts:
        return None
    return {"title": html.escape(t("sample_mark")), "detail": html.escape(" · ".join(parts))}


def build_map(ch: Choropleth, *, points: list[list] | None = None,
              hazards: dict | None = None, basemap: bool = False,
              labels: bool = False, geometry_url: str | None = None,
              symbols: dict[str, int] | None = None, points_urls: list[str] | None = None,
              points_prefix: str = "", offline_only: bool = False,
              drill: bool = True, fill_height: bool = False,
              sample: dict | None = None,
              split: tuple[str, str, Choropleth] | None = None,
              timeline: tuple[list[str], list[Choropleth], int] | None = None,
              a11y: dict | None = None) -> MapParts:
    """Folium map of a choropleth, with optional hazard zones, Posyandu and labels.

    ``geometry_url``: the layer's geometry file (geo.regions.mapfiles, served under /app/static);
    without it the geometry is written into the map (small maps, e.g. a site plan).
    Posyandu: ``points`` (rows of :func:`point_rows`, embedded), or ``points_urls``
    (points files, filtered to ``points_prefix`` and optionally to those without internet),
    or ``symbols`` (code -> count, drawn as proportional circles). ``hazards``: the
    configuration of components.views.hazards.map_config (a hazard file's URL, colours and
    the rings' tooltip text), drawn over the choropleth. ``drill``: the popup
    offers to open the clicked region. ``fill_height``: the map fills its iframe's
    height (projector mode sizes the iframe to the window). ``sample``: the DATA SAMPEL
    stamp drawn inside the map (:func:`sample_stamp`), None when nothing shown is sample.
    """
    layer = ch.layer
    bounds = _bounds(layer)
    m = base_map(basemap=basemap, fill_height=fill_height)
    view = folium.FeatureGroup(name="view", control=False)
    style, info = _values_config(ch)
    cfg = {"style": style, "info": info, "text": _text(ch), "border": BORDER, "bounds": bounds,
           "drill": bool(drill), "labels": bool(labels), "symbols": symbols or None,
           "sample": sample}
    if geometry_url:
        cfg["url"] = geometry_url
    else:
        cfg["data"] = json.loads(geo_display.geojson_payload(
            layer, mapfiles.geometry_properties(layer)))
    if points_urls:
        cfg["points"] = {"urls": list(points_urls), "prefix": points_prefix, "cluster": CLUSTER,
                         "offlineOnly": bool(offline_only), "text": _points_text()}
    if hazards:
        cfg["hazards"] = hazards
    if split:
        left, right, other = split
        o_style, o_info = _values_config(other)
        cfg["split"] = {"left": html.escape(left), "right": html.escape(right),
                        "style": o_style, "info": o_info}
    if timeline:
        periods, views, start = timeline
        configs = [_values_config(v) for v in views]
        cfg["timeline"] = {"periods": [html.escape(p) for p in periods],
                           "styles": [c[0] for c in configs], "infos": [c[1] for c in configs],
                           "start": int(start), "step": 1500,
                           "text": {k: html.escape(v) for k, v in _timeline_text().items()}}
    if a11y:
        cfg["a11y"] = a11y
    if points:
        add_points(view, points)
    view.add_child(PetaCall("view", cfg, m))
    return MapParts(base=m, layer=view)


# Point clusters in neutral blues, so they do not read as choropleth classes; labels (only
# in projector mode): 15 px on a 1366 px projector, >= 18 px on a 1920 px one.
_MAP_CSS = (
    "<style>.marker-cluster-small,.marker-cluster-medium,.marker-cluster-large"
    "{background-color:rgba(33,113,181,.35)}"
    ".marker-cluster-small div,.marker-cluster-medium div,.marker-cluster-large div"
    "{background-color:rgba(8,48,107,.85);color:#fff;font-weight:700}"
    ".leaflet-tooltip,.pp-popup{font-size:15px}"
    ".pp-info th{padding-right:8px;text-align:left;font-weight:600}"
    ".pp-info td{white-space:normal;min-width:200px;max-width:340px}"
    ".pp-period{background:rgba(255,255,255,.92);padding:4px 10px;border-radius:4px;"
    "font:700 17px sans-serif;color:#111;box-shadow:0 1px 4px rgba(0,0,0,.3)}"
    ".pp-timeline{background:rgba(255,255,255,.95);padding:6px 10px;border-radius:6px;"
    "display:flex;align-items:center;gap:10px;box-shadow:0 1px 4px rgba(0,0,0,.3);"
    "font:600 16px sans-serif}"
    ".pp-play{min-width:44px;min-height:40px;font-size:18px;border:0;border-radius:6px;"
    "background:#0b6e4f;color:#fff;cursor:pointer}.pp-slider{width:260px}"
    ".pp-open{margin-top:8px;width:100%;min-height:40px;font:600 15px sans-serif;color:#fff;"
    "background:#0b6e4f;border:0;border-radius:6px;cursor:pointer}"
    ".pp-label-icon{background:none;border:0}"
    ".pp-label{font:700 15px/1.1 sans-serif;font-size:clamp(15px,1.35vw,22px);color:#111;text-align:center;"
    "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;white-space:nowrap;"
    "pointer-events:none;transform:translate(-50%,-50%);display:inline-block}</style>")


_POINT_CALLBACK = """
function (row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]),
        {radius: 6, color: '#08306b', weight: 1, fillColor: row[3] ? '#2171b5' : '#ef3b2c',
         fillOpacity: 0.9});
    marker.bindPopup(row[2], {maxWidth: 320});
    return marker;
}
"""


def services_text(points: pd.DataFrame, lang: str) -> list[str]:
    """The SPM fields each Posyandu offers, as plain text ('–' when none is known)."""
    from geo.indicators.transformation import SPM_FIELDS, SPM_LABELS
    k = 0 if lang == "id" else 1
    cols = [(SPM_LABELS[f][k], points[f"layanan_{f}"].astype("boolean").fillna(False)
             .to_numpy(dtype=bool)) for f in SPM_FIELDS if f"layanan_{f}" in points]
    return [", ".join(label for label, has in cols if has[i]) or "–" for i in range(len(points))]


def popup_html(points: pd.DataFrame, sample: bool, lang: str) -> list[str]:
    """Escaped popup HTML of each Posyandu: name, village, kader, internet, strata, SPM
    services."""
    village_names = points.get("nama_desa", points["kode_desa"]).astype(object)
    out = []
    badge = f"<br><b style='color:#b30000'>{html.escape(t('sample_badge'))}</b>" if sample else ""
    for name, village, kader, internet, strata, is_sample, services in zip(
            points["nama"], village_names, points["jumlah_kader"], points["internet"],
            points["strata"], points.get("sampel", pd.Series(sample, index=points.index)),
            services_text(points, lang)):
        net = "–" if pd.isna(internet) else (t("yes") if internet else t("no"))
        out.append(
            f"<b>{html.escape(str(name))}</b><br>"
            f"{html.escape(t('village'))}: {html.escape(str(village))}<br>"
            f"{html.escape(t('kader'))}: {'–' if pd.isna(kader) else int(kader)}<br>"
            f"{html.escape(t('internet'))}: {html.escape(net)}<br>"
            f"{html.escape(t('strata'))}: {html.escape('–' if pd.isna(strata) else str(strata))}<br>"
            f"{html.escape(t('spm_services'))}: {html.escape(services)}"
            + (badge if (sample or bool(is_sample)) else ""))
    return out


def point_rows(points: pd.DataFrame, sample: bool, lang: str) -> list[list]:
    """[lat, lon, escaped popup HTML, has internet] per Posyandu with a point, for
    add_points (a Posyandu without coordinates is counted in its village, never drawn)."""
    points = points.loc[points["lat"].notna().to_numpy() & points["lon"].notna().to_numpy()]
    popups = popup_html(points, sample, lang)
    internet = points["internet"].astype("boolean").fillna(True).astype(bool).to_numpy()
    return [[round(float(a), 5), round(float(b), 5), p, bool(i)]
            for a, b, p, i in zip(points["lat"], points["lon"], popups, internet)]


def add_points(m: folium.Map | folium.FeatureGroup, rows: list[list]) -> None:
    """Posyandu as clustered points (FastMarkerCluster: thousands stay fast)."""
    FastMarkerCluster(rows, callback=_POINT_CALLBACK, name=t("posyandu_layer"),
                      options={"disableClusteringAtZoom": 13, "chunkedLoading": True}).add_to(m)


def show_map(parts: MapParts, key: str, height: int = 640) -> None:
    """Render the map. A map with the same ``key`` and base as the one the browser shows
    stays mounted: only the view's layer is sent. "Buka wilayah ini" sets the map's value
    (the region's code in last_active_drawing), stored under ``key``;
    components.state.apply_map_click reads it at the start of the run that the click
    causes."""
    st_folium(parts.base, key=key, height=height, use_container_width=True,
              feature_group_to_add=parts.layer, returned_objects=["last_active_drawing"])
