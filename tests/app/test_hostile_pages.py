"""Property (issue 30): whatever hostile files of each kind the importers accept and save,
every page renders at every level without an exception or an error box.

Each example writes generated files — a Posyandu registry with hostile rows, hazard zones
with odd geometries and classes, an indicator table and an aggregate table with hostile
values, a kabupaten boundary file of Kalimantan Tengah with odd features — imports each
through its importer, saves what the importer accepted through the store into a fresh
workspace (PETA_WORKSPACE_DIR), and then opens every page at Indonesia, the province 62,
the kabupaten 62.03 and the kecamatan 62.71.01 in one AppTest session per level.

Kept bounded: a few examples (settings profile ``pages``; ``HYPOTHESIS_PROFILE=deep`` in
tests/unit/test_property_hostile.py runs more of the file-level properties), no deadline.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import geopandas as gpd
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from geo.store import get_store
from tests.app.test_pages import APP, PAGES, TIMEOUT, _navigation_mode, _sample_data  # noqa: F401
from tests.unit.test_property_hostile import hostile_text, polygon_files, registries

settings.register_profile("pages", max_examples=int(os.environ.get("PETA_PAGES_EXAMPLES", 4)),
                          deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture,
                                                 HealthCheck.data_too_large])
LEVELS = {"indonesia": "", "provinsi": "62", "kabupaten": "62.03", "kecamatan": "62.71.01"}
PAGE_FILES = [p for p, _, _ in PAGES] + ["pages/rapat.py"]

hostile_number = st.one_of(st.sampled_from(["1e19", "1e308", "-1e308", "nan", "inf", "-inf",
                                            "12,5", "−2,2", "", "x", "0", "100"]),
                           st.floats(allow_nan=True, allow_infinity=True).map(str))
codes = st.sampled_from(["62", "62.03", "6203", "62.71", "62.71.01", "62.71.01.1001", "99.99",
                         "", "00", "abc", "62.03.99.9999"])


@st.composite
def indicator_tables(draw):
    """CSV text of an indicator table (code, name, year, survey, value, source)."""
    lines = ["Kode;Wilayah;Tahun;Survei;Prevalensi (%);Sumber"]
    for _ in range(draw(st.integers(1, 6))):
        cells = [draw(codes), draw(hostile_text), draw(st.sampled_from(["2024", "1800", "x",
                                                                        "20245", ""])),
                 draw(st.sampled_from(["SSGI 2024", "", "=cmd"])), draw(hostile_number),
                 draw(hostile_text)]
        lines.append(";".join(c.replace("\n", " ").replace("\r", " ").replace(";", ",")
                              for c in cells))
    return "\n".join(lines) + "\n"


@st.composite
def aggregate_tables(draw):
    lines = ["kode kecamatan;nama kecamatan;jumlah posyandu;jumlah kader"]
    for _ in range(draw(st.integers(1, 5))):
        cells = [draw(st.sampled_from(["62.71.01", "62.71.02", "62.03.01", "62.71.99", "",
                                       "abc"])), draw(hostile_text), draw(hostile_number),
                 draw(hostile_number)]
        lines.append(";".join(c.replace("\n", " ").replace("\r", " ").replace(";", ",")
                              for c in cells))
    return "\n".join(lines) + "\n"


@st.composite
def hazard_files(draw):
    gdf = draw(polygon_files())
    gdf["kelas"] = [draw(st.sampled_from(["tinggi", "Sedang", "rendah", "sangat tinggi", "x",
                                          "0.9", ""])) for _ in range(len(gdf))]
    gdf["jenis_bahaya"] = [draw(st.sampled_from(["banjir", "Tanah Longsor", "hujan es", "",
                                                 "karhutla"])) for _ in range(len(gdf))]
    return gdf


def _write_vector(gdf: gpd.GeoDataFrame, path: Path) -> bool:
    try:
        gdf.to_file(path, driver="GeoJSON")
        return True
    except Exception:       # GDAL cannot write it: not a file a user can send
        return False


def _import_and_save(tmp: Path, registry: str, hazards, indicators: str, aggregates: str,
                     boundaries) -> list[str]:
    """Import each generated file and save what its importer accepted (as Kelola Data
    does); the kinds saved."""
    from geo.hazards.importer import import_hazards
    from geo.hazards.store import save_import
    from geo.importers import import_boundaries, import_indicators, import_posyandu
    from geo.importers.aggregates import import_aggregates
    store, saved = get_store(), []

    def save(kind, res, saver=None):
        if res.report.ok and len(res.data):
            (saver or (lambda: store.save(kind, res.data, name=kind, report=res.report)))()
            saved.append(kind)

    (tmp / "registri.csv").write_text(registry, encoding="utf-8")
    save("posyandu", import_posyandu(tmp / "registri.csv"))
    if _write_vector(hazards, tmp / "zona_banjir.geojson"):
        res = import_hazards(tmp / "zona_banjir.geojson")
        if res.report.ok:
            save_import(res, name="zona")
            saved.append("bahaya")
    (tmp / "indikator.csv").write_text(indicators, encoding="utf-8")
    save("indikator", import_indicators(tmp / "indikator.csv"))
    (tmp / "agregat.csv").write_text(aggregates, encoding="utf-8")
    save("agregat", import_aggregates(tmp / "agregat.csv", level="kecamatan", parent="62.71"))
    if _write_vector(boundaries, tmp / "batas.geojson"):
        save("batas_kabupaten", import_boundaries(tmp / "batas.geojson", "kabupaten",
                                                  parent="62"))
    return saved


def _problems(at: AppTest) -> list[str]:
    out = [str(e.value) for e in at.exception] + [str(e.value) for e in at.error]
    texts = [str(getattr(e, "value", "")) for kind in ("markdown", "warning", "info", "caption")
             for e in at.get(kind)]
    out += [t for t in texts if "Traceback" in t or "Galat tak terduga" in t]
    return out


def _render_all(failures: list[str]) -> int:
    runs = 0
    for level, code in LEVELS.items():
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        if code:
            at.query_params["wilayah"] = code
        at.run()
        runs += 1
        failures += [f"{level} ringkasan: {p}" for p in _problems(at)]
        for page in PAGE_FILES[1:]:
            at.switch_page(page)
            at.run()
            runs += 1
            failures += [f"{level} {page}: {p}" for p in _problems(at)]
            assert at.session_state["region"] == code, (level, page)
    return runs


@settings(settings.get_profile("pages"))
@given(registries(), hazard_files(), indicator_tables(), aggregate_tables(), polygon_files())
def test_hostile_saves_never_break_a_page(reg, hazards, indicators, aggregates, boundaries):
    boundaries = boundaries.assign(kode=[c if c else "62.03" for c in boundaries["kode"]])
    old = os.environ.get("PETA_WORKSPACE_DIR")
    with tempfile.TemporaryDirectory(prefix="peta-hostile-") as tmp:
        os.environ["PETA_WORKSPACE_DIR"] = str(Path(tmp) / "ws")
        try:
            saved = _import_and_save(Path(tmp), reg[0], hazards, indicators, aggregates,
                                     boundaries)
            failures: list[str] = []
            runs = _render_all(failures)
        finally:
            if old is None:
                os.environ.pop("PETA_WORKSPACE_DIR", None)
            else:
                os.environ["PETA_WORKSPACE_DIR"] = old
    assert runs == len(LEVELS) * len(PAGE_FILES)
    assert "posyandu" in saved       # the registry always has good rows
    assert not failures, failures[:5]


def test_generated_kinds_reach_the_store():
    """The strategies produce files the importers accept for each kind (else the property
    above would test nothing): one fixed example of each is saved."""
    hazards = gpd.GeoDataFrame({"kelas": ["tinggi"], "jenis_bahaya": ["banjir"]},
                               geometry=[shapely.box(113.9, -2.3, 114.0, -2.2)], crs=4326)
    bounds = gpd.GeoDataFrame({"kode": ["62.03"], "nama": ["Kapuas"]},
                              geometry=[shapely.box(114.0, -3.0, 114.5, -2.5)], crs=4326)
    registry = ("id;nama;kode_desa;lat;lon;jumlah_kader;balita_sasaran\n"
                "G0;Posyandu Baik;62.71.01.1001;-2.2;113.9;5;20\n")
    old = os.environ.get("PETA_WORKSPACE_DIR")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PETA_WORKSPACE_DIR"] = str(Path(tmp) / "ws")
        try:
            saved = _import_and_save(
                Path(tmp), registry, hazards,
                "Kode;Wilayah;Tahun;Survei;Prevalensi (%);Sumber\n62.03;Kapuas;2024;SSGI 2024;"
                "20,1;x\n", "kode kecamatan;nama kecamatan;jumlah posyandu;jumlah kader\n"
                "62.71.01;Pahandut;40;210\n", bounds)
        finally:
            if old is None:
                os.environ.pop("PETA_WORKSPACE_DIR", None)
            else:
                os.environ["PETA_WORKSPACE_DIR"] = old
    assert saved == ["posyandu", "bahaya", "indikator", "agregat", "batas_kabupaten"]
