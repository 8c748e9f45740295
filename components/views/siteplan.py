"""Konektivitas: site planning widgets — k and radius sliders, weight, candidate and existing
site uploads, the coverage curve, the plan map (sites, radius circles, Posyandu reached and
not) and the plan's downloads. The computation is geo.connectivity.plan; this module caches it per
input and shows it."""
from __future__ import annotations

import hashlib
import html
import tempfile
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from components import data, state
from components.i18n import fmt_number, t, with_locale
from components.i18n import plain as md_escape
from components.kpi import Kpi, show_kpis
from components.map import files as mapdata
from components.map.offline import use_local_assets
from components.map.scripts import map_scripts
from components.map.view import PetaCall, sample_stamp
from components.tables import localized
from components.views.connectivity import download_row, labelled, offline_table
from geo.connectivity import offline as connectivity
from geo.connectivity import plan as siteplan
from geo.importers.safety import max_upload_bytes

RADII = [r / 2 for r in range(2, 61)]   # 1–30 km in steps of 0.5 (the link's values)
K_MAX = 200                       # the greedy runs to K_MAX once; smaller k are its prefix
SITE_COLOR, EXISTING_COLOR = "#6a3d9a", "#4d4d4d"
COVERED_COLOR, UNCOVERED_COLOR = "#2171b5", "#e31a1c"
SITE_COLUMNS = {"rank": "col_rank", "site_id": "col_site", "nama": "col_site_name",
                "kode_desa": "col_kode_desa", "lon": "col_lon", "lat": "col_lat",
                "covered_added": "col_added", "covered_total": "col_total",
                "share_total": "col_share"}
COVERED_COLUMNS = {"id": "col_id", "nama": "col_nama", "desa": "col_desa",
                   "kecamatan": "col_kecamatan", "kabupaten": "col_kabupaten", "lon": "col_lon",
                   "lat": "col_lat", "balita_sasaran": "col_balita", "site_id": "col_site",
                   "site_rank": "col_rank", "distance_m": "col_distance"}


def _version() -> str:
    """Cache key of the plan's inputs: the store's versions of the registry and boundaries
    (the same key as the list of Posyandu without internet the plan is built on)."""
    return data.data_version("posyandu", "batas")


@st.cache_resource(max_entries=8, show_spinner=False)
def default_candidates(region: str) -> pd.DataFrame:
    return connectivity.village_candidates(region or None)


@st.cache_resource(max_entries=16, show_spinner=False)
def _problem(version: str, region: str, radius_km: float, weight: str, cand_key: str,
             exist_key: str, _cands: pd.DataFrame | None, _exist: pd.DataFrame | None):
    demand = connectivity.demand_from(offline_table(region))
    cands = _cands if _cands is not None else default_candidates(region)
    return siteplan.build_problem(demand, cands, radius_km * 1000.0, weight=weight,
                                  existing=_exist)


@st.cache_resource(max_entries=16, show_spinner=False)
def _greedy(key: tuple, _problem) -> tuple[list[int], list[float]]:
    return siteplan.greedy(_problem, K_MAX)


@st.cache_resource(max_entries=8, show_spinner=False)
def _exact(key: tuple, k: int, time_limit: float, _problem, _start: list[int]):
    return siteplan.exact(_problem, k, time_limit=time_limit, start=_start)


def _upload(label: str, key: str, prefix: str) -> tuple[pd.DataFrame | None, str]:
    """An uploaded site file read by geo.connectivity.sites (with its row-level report)."""
    up = st.file_uploader(label, type=["csv", "xlsx", "geojson", "json"], key=key)
    if up is None:
        return None, ""
    if up.size > max_upload_bytes():
        st.error(md_escape(f"{up.name}: {up.size / 2 ** 20:.0f} MB > "
                           f"{max_upload_bytes() // 2 ** 20} MB"))
        return None, ""
    raw = up.getvalue()
    digest = hashlib.sha256(raw).hexdigest()[:16]
    store = st.session_state.setdefault("_siteplan_uploads", {})
    if (key, digest) not in store:
        from geo.connectivity.sites import import_sites
        suffix = Path(str(up.name)).suffix.lower()
        try:
            with tempfile.TemporaryDirectory(prefix="peta-situs-") as tmp:
                path = Path(tmp) / f"berkas{suffix}"
                path.write_bytes(raw)
                store[(key, digest)] = import_sites(path, source_name=str(up.name),
                                                    prefix=prefix)
        except OSError as exc:      # the server's disk is full or not writable
            from geo.messages import upload_failed
            st.error(md_escape(upload_failed(exc)))
            return None, ""
    res = store[(key, digest)]
    (st.caption if res.report.ok else st.error)(md_escape(res.report.summary()))
    if len(res.report.problems):
        with st.expander(t("upload_report"), expanded=not res.report.ok):
            st.dataframe(res.report.to_frame(), hide_index=True, width="stretch")
    return (res.data, digest) if res.report.ok else (None, "")


def _int_in(lo: int, hi: int):
    def parse(raw: str) -> int:
        value = int(raw)
        if not lo <= value <= hi:
            raise ValueError(raw)
        return value
    return parse


def _radius(raw: str) -> float:
    """A radius from the link: 1–30 km in steps of 0.5 ("7,5" read as 7.5)."""
    value = float(raw.replace(",", "."))
    if not 1.0 <= value <= 30.0 or (2 * value) % 1:
        raise ValueError(raw)
    return value


def _num_text(value: float) -> str:
    return f"{value:g}"


def _choice(options):
    def parse(raw: str) -> str:
        if raw not in options:
            raise ValueError(raw)
        return raw
    return parse


def _controls() -> dict:
    c1, c2, c3 = st.columns([1.2, 1.2, 1])
    with c1:      # k, radius and weight are in the link (components.state.PAGE_PARAMS)
        k = state.bound("k", st.slider, t("plan_k"), _int_in(1, K_MAX), str, key="plan-k",
                        min_value=1, max_value=K_MAX)
    with c2:
        # a select slider: its thumb and ends read "7,5" in Bahasa Indonesia (a slider's
        # printf format cannot write a decimal comma)
        radius = state.bound("radius", st.select_slider, t("plan_radius"), _radius, _num_text,
                             key="plan-radius", options=RADII,
                             format_func=lambda r: fmt_number(r, 0 if r.is_integer() else 1))
    with c3:
        weight = state.bound("bobot", st.radio, t("plan_weight"), _choice(siteplan.WEIGHTS),
                             str, key="plan-weight", options=list(siteplan.WEIGHTS),
                             format_func=lambda w: t(f"weight_{w}"))
    with st.expander(f"{t('plan_candidates')} · {t('plan_exact')}"):
        cands, cand_key = _upload(t("plan_candidates"), "plan-candidates", "K")
        exist, exist_key = _upload(t("plan_existing"), "plan-existing", "E")
        e1, e2 = st.columns(2)
        exact = e1.checkbox(t("plan_exact"), key="plan-exact")
        limit = e2.slider(t("plan_time_limit"), 5, 120, 30, 5, key="plan-time-limit")
    return dict(k=k, radius=float(radius), weight=weight, cands=cands, cand_key=cand_key,
                exist=exist, exist_key=exist_key, exact=exact, limit=float(limit))


def compute_plan(region: str, c: dict) -> siteplan.Plan:
    """The plan for the chosen inputs, with a progress bar (a national plan takes a while)."""
    bar = st.progress(0.05, text=t("progress_coverage"))
    problem = _problem(_version(), region, c["radius"], c["weight"], c["cand_key"],
                       c["exist_key"], c["cands"], c["exist"])
    key = (_version(), region, c["radius"], c["weight"], c["cand_key"], c["exist_key"])
    bar.progress(0.6, text=t("progress_greedy"))
    order, added = _greedy(key, problem)
    k = c["k"]
    order, added = order[:k], added[:k]
    method, gap, status, seconds = "greedy", None, None, problem.seconds_build
    greedy_covered = problem.existing_weight + float(sum(added))
    if c["exact"]:
        bar.progress(0.7, text=t("progress_exact"))
        res = _exact(key, k, c["limit"], problem, order)
        if res.objective >= float(sum(added)) - 1e-9:
            order, added = siteplan.order_chosen(problem, res.chosen)
        method, gap, status, seconds = "exact", res.gap, res.status, res.seconds
    plan = siteplan.assemble(problem, order, added, k, c["radius"], c["weight"])
    plan.summary.update(method=method, gap=gap, seconds=round(seconds, 2),
                        greedy_covered=greedy_covered)
    if status:
        plan.summary["status"] = status
    full = _greedy(key, problem)[1]
    plan.curve = siteplan.curve(problem, full)
    bar.progress(1.0, text=t("progress_done"))
    bar.empty()
    return plan


def _kpis(plan: siteplan.Plan) -> None:
    s = plan.summary
    show_kpis([Kpi(t("kpi_plan_sites"), fmt_number(s["sites"], 0)),
               Kpi(t("kpi_plan_covered"), t("k_of_n", k=fmt_number(s["covered_posyandu"], 0),
                                            n=fmt_number(s["demand"], 0))),
               Kpi(t("kpi_plan_share"), f"{fmt_number(100 * s['share'], 1)} %"),
               Kpi(t("kpi_plan_unreachable"), fmt_number(s["unreachable"], 0))],
              t("kpi_plan_name"))
    g = fmt_number(s.get("greedy_covered", s["covered"]), 0)
    if s["method"] == "greedy":
        st.caption(t("plan_method_greedy", s=fmt_number(s["seconds"], 2)))
    elif s.get("status") == "optimal":
        st.caption(t("plan_method_optimal", g=g, s=fmt_number(s["seconds"], 2)))
    else:
        gap = "–" if s["gap"] is None else f"{fmt_number(100 * s['gap'], 2)} %"
        st.warning(t("plan_method_limit", gap=gap, g=g, s=fmt_number(s["seconds"], 2)))
    if s["sites"] < s["k"]:     # the greedy stopped: more sites would reach nobody new
        note = t("plan_saturated", n=fmt_number(s["sites"], 0), k=fmt_number(s["k"], 0),
                 next=fmt_number(s["sites"] + 1, 0),
                 r=fmt_number(s["radius_km"], 0 if float(s["radius_km"]).is_integer() else 1),
                 reached=fmt_number(s["covered_posyandu"], 0), demand=fmt_number(s["demand"], 0))
        if s["unreachable"]:
            note += " " + t("plan_saturated_unreachable", u=fmt_number(s["unreachable"], 0))
        st.info(note)
    if s["existing_sites"]:
        st.caption(t("plan_existing_note", n=s["existing_sites"],
                     c=fmt_number(s["existing_covered"], 0)))


def _curve(plan: siteplan.Plan) -> None:
    """Share of Posyandu reached against the number of sites. A Vega-Lite specification
    written here: st.line_chart builds and validates an Altair chart on every view (~0.25 s
    of server time)."""
    st.markdown(f"**{t('curve_title')}**")
    chart = pd.DataFrame({"k": plan.curve["k"].to_numpy(),
                          "share": (100 * plan.curve["share"]).round(2).to_numpy()})
    label = t("curve_share")
    st.vega_lite_chart(chart, with_locale({
        "height": 260, "mark": {"type": "line", "point": len(chart) <= 40},
        "encoding": {"x": {"field": "k", "type": "quantitative", "title": t("curve_k"),
                           # k counts sites: whole numbers only on the axis
                           "axis": {"format": "d", "tickMinStep": 1}},
                     "y": {"field": "share", "type": "quantitative", "title": label,
                           "axis": {"format": ",.0f"}},
                     "tooltip": [{"field": "k", "type": "quantitative", "title": t("curve_k"),
                                  "format": "d"},
                                 {"field": "share", "type": "quantitative", "title": label,
                                  "format": ",.1f"}]}}),
        width="stretch")
    st.caption(t("curve_caption"))


class _Plan(PetaCall):
    """The plan drawn by peta-map.js (``PetaMap.plan``), which this map loads
    (components.map.scripts.map_scripts): the regions from their geometry file, the sites,
    circles and Posyandu from compact rows. Drawn with folium's GeoJson, tooltips and
    markers, the plan of province 62 (593 Posyandu, 20 sites) cost about half a second of
    server time per view; this costs milliseconds."""


def _rows(frame: pd.DataFrame, cols: list[str]) -> list[list]:
    return [list(r) for r in zip(*(frame[c].tolist() for c in cols))] if len(frame) else []


def plan_map(region: str, plan: siteplan.Plan, radius_m: float,
             existing: pd.DataFrame | None) -> folium.Map:
    """Folium map of the plan: the regions as background, radius circles, numbered sites,
    Posyandu reached (blue) and not (red). Every name is escaped."""
    use_local_assets()
    level = data.map_level(region)
    layer = data.display_layer(level, region or None)
    # no zoom/fade animations: a rerun that replaces the map mid-animation made Leaflet
    # throw "Cannot read properties of undefined (reading 'lat')"
    m = folium.Map(tiles=None, maxZoom=18, zoom_snap=0.25, zoom_animation=False,
                   fade_animation=False, marker_zoom_animation=False,
                   attribution_control=False)      # no tiles: nothing to attribute
    map_scripts(m)
    cov = plan.covered
    ok = cov["lat"].notna().to_numpy() & cov["lon"].notna().to_numpy()
    cov = cov.loc[ok]
    points = pd.DataFrame({
        "lat": cov["lat"].astype(float).round(5), "lon": cov["lon"].astype(float).round(5),
        "nama": [html.escape(str(n)) for n in cov["nama"]],
        "situs": [html.escape(str(x)) if x else "–" for x in cov["site_id"]],
        "hit": (cov["site_id"] != "").astype(int).to_numpy()})
    sites = plan.sites
    site_rows = pd.DataFrame({
        "lat": sites["lat"].astype(float), "lon": sites["lon"].astype(float),
        "rank": sites["rank"].astype(int),
        "tip": [t("site_popup", rank=int(r.rank),
                  name=html.escape(str(getattr(r, "nama", None) or r.site_id)),
                  added=fmt_number(r.covered_added, 0)) for r in sites.itertuples()]})
    ex = existing if existing is not None else pd.DataFrame(columns=["lat", "lon", "site_id"])
    ex_rows = pd.DataFrame({"lat": ex["lat"].astype(float), "lon": ex["lon"].astype(float),
                            "id": [html.escape(str(x)) for x in ex["site_id"]]})
    minx, miny, maxx, maxy = layer.total_bounds
    m.add_child(_Plan("plan", {
        "url": mapdata.geometry_url(level, region),
        "bounds": [[float(miny), float(minx)], [float(maxy), float(maxx)]],
        "radius": float(radius_m),
        "points": _rows(points, ["lat", "lon", "nama", "situs", "hit"]),
        "sites": _rows(site_rows, ["lat", "lon", "rank", "tip"]),
        "existing": _rows(ex_rows, ["lat", "lon", "id"]),
        "sample": sample_stamp(posyandu=data.posyandu_info().sample),
        "colors": {"site": SITE_COLOR, "existing": EXISTING_COLOR, "covered": COVERED_COLOR,
                   "uncovered": UNCOVERED_COLOR},
        "text": {k: html.escape(v) for k, v in (("name", t("name")), ("nama", t("col_nama")),
                                                 ("site", t("col_site")))}}, m))
    m.get_root().header.add_child(folium.Element(
        "<style>.pp-site{width:24px;height:24px;border-radius:12px;background:" + SITE_COLOR
        + ";color:#fff;font:700 12px/24px sans-serif;text-align:center;"
        "border:2px solid #fff;box-shadow:0 0 2px #000}"
        ".pp-existing{width:14px;height:14px;background:" + EXISTING_COLOR + "}</style>"))
    return m


def _legend() -> None:
    items = [(f"border-radius:8px;background:{SITE_COLOR}", t("legend_site")),
             (f"background:{EXISTING_COLOR}", t("legend_existing")),
             (f"border-radius:6px;background:{COVERED_COLOR}", t("legend_covered")),
             (f"border-radius:6px;background:{UNCOVERED_COLOR}", t("legend_uncovered"))]
    st.markdown(" &nbsp; ".join(
        f"<span style='display:inline-block;width:12px;height:12px;{css}'></span> "
        f"{html.escape(text)}" for css, text in items), unsafe_allow_html=True)


def planner_section(region: str) -> None:
    """Site planning for the selected region (Indonesia on request: it takes seconds)."""
    st.header(t("plan_title"))
    c = _controls()
    st.caption(t("plan_intro", k=c["k"]))
    if not len(offline_table(region)):
        st.info(t("plan_no_demand"))
        return
    if c["cands"] is None and not len(default_candidates(region)):
        st.info(t("plan_no_candidates"))
        return
    if not region and not st.session_state.get("plan-national"):
        st.caption(t("plan_national_hint"))
        if not st.button(t("plan_run_national"), key="plan-run-national"):
            return
        st.session_state["plan-national"] = True
    plan = compute_plan(region, c)
    _kpis(plan)
    left, right = st.columns([1, 2])
    with left:
        _curve(plan)
    with right:
        st.markdown(f"**{t('plan_map_title')}**")
        m = plan_map(region, plan, c["radius"] * 1000.0, c["exist"])
        st_folium(m, key=f"plan-map-{region}", height=520,
                  use_container_width=True, returned_objects=[])
        _legend()
    st.markdown(f"**{t('plan_sites_table')}**")
    sites = plan.sites.assign(share_total=(100 * plan.sites["share_total"]).round(2))
    st.dataframe(localized(labelled(sites[[c_ for c_ in SITE_COLUMNS if c_ in sites]],
                                    SITE_COLUMNS)),
                 hide_index=True, width="stretch", height=260)
    slug = f"rencana-situs-{(region or 'indonesia').replace('.', '-')}-k{c['k']}"
    download_row(plan.sites, slug, key="plan-sites", sheet="situs")
    st.markdown(f"**{t('plan_covered_table')}**")
    cov = plan.covered[[c_ for c_ in COVERED_COLUMNS if c_ in plan.covered]]
    cov = cov.assign(site_rank=cov["site_rank"].where(cov["site_rank"] >= 0))
    st.dataframe(localized(labelled(cov, COVERED_COLUMNS)), hide_index=True, width="stretch",
                 height=260)
    download_row(cov, f"{slug}-posyandu", key="plan-covered", sheet="posyandu")

