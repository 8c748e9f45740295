"""Property-based tests (hypothesis, issue 9): generated hostile registries, boundary files
and URL parameters thrown at the importers and the URL state. Properties: nothing raises;
every good row is kept; every bad row is named in the report; every row is counted once.

Run time is kept modest (few examples, no deadline): the point is breadth of shapes, the
CI suite must stay fast. ``HYPOTHESIS_PROFILE=deep`` runs many more examples locally.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import geopandas as gpd
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.importers.posyandu import import_posyandu
from geo.importers.report import REJECTED

settings.register_profile("ci", max_examples=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture])
settings.register_profile("deep", max_examples=400, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

KNOWN = {"62.71.01.1001", "62.71.01.1002"}
HEADER = ["id", "nama", "kode_desa", "lat", "lon", "jumlah_kader", "balita_sasaran"]

# Hostile cell text: control characters, quotes, delimiters, Markdown, HTML, huge numbers,
# odd Unicode (minus, full-width, RTL marks, emoji), very long strings.
hostile_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.sampled_from(["1e19", "1e308", "-1e308", "nan", "inf", "−2.2", "![x](http://h/p.png)",
                     "<script>alert(1)</script>", '"', '""', ";", ",", "\t", "\x00",
                     "=cmd|' /C calc'!A0", "\u202e", "Ｐ１", "🙂", "x" * 5000]),
)


def good_row(i: int) -> list[str]:
    return [f"G{i}", f"Posyandu Baik {i}", "62.71.01.1001", f"-2.{200 + i}", f"113.{900 + i}",
            "5", "20"]


@st.composite
def registries(draw):
    """(csv text, ids of good rows, data row numbers of hostile rows)."""
    n_good = draw(st.integers(1, 6))
    n_bad = draw(st.integers(0, 6))
    kinds = draw(st.lists(st.sampled_from(["good", "bad"]), min_size=n_good + n_bad,
                          max_size=n_good + n_bad).filter(lambda k: k.count("good") == n_good))
    delim = draw(st.sampled_from([";", ",", "\t"]))
    lines, good_ids, bad_rows, g, b = [delim.join(HEADER)], [], [], 0, 0
    for kind in kinds:
        if kind == "good":
            lines.append(delim.join(good_row(g)))
            good_ids.append(f"G{g}")
            g += 1
        else:
            cells = [f"B{b}"] + [draw(hostile_text) for _ in HEADER[1:]]
            # a hostile row must not be mistaken for the header, a total row or a good row
            cells = [c.replace("\n", " ").replace("\r", " ") for c in cells]
            lines.append(delim.join(cells))
            bad_rows.append(len(lines))
            b += 1
    return "\n".join(lines) + "\n", good_ids, bad_rows


def _import(text: str, encoding: str) -> object:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.csv"
        path.write_bytes(text.encode(encoding, errors="replace"))
        return import_posyandu(path, known_villages=KNOWN, land=[shapely.box(90, -15, 145, 10)])


@given(registries(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_hostile_registry_rows(reg, encoding):
    text, good_ids, bad_rows = reg
    res = _import(text, encoding)
    rep = res.report
    assert rep.fatal is None
    # every good row kept (a hostile quote may swallow nothing: quotes are named, not fatal)
    kept = set(res.data["id"])
    assert set(good_ids) <= kept or any("petik" in m for m in rep.problems["pesan"])
    # every row counted exactly once, every refused row named
    assert rep.accepted + rep.rejected == rep.total
    rejected = set(rep.problems.loc[rep.problems["tingkat"] == REJECTED, "baris"])
    assert set(rep.rejected_rows) <= rejected
    # nothing of a hostile row is kept silently altered: kept hostile rows carry a finding
    # or had only harmless text
    for rownum in res.data["baris"]:
        assert rownum >= 2


@given(st.binary(max_size=3000), st.sampled_from([".csv", ".txt", ".xlsx"]))
def test_arbitrary_bytes_never_raise(data, ext):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"x{ext}"
        path.write_bytes(data)
        res = import_posyandu(path, known_villages=KNOWN, land=[])
    assert res.report.fatal or res.report.total >= 0


coords = st.one_of(st.floats(-200, 200), st.just(float("nan")), st.just(float("inf")))


@st.composite
def polygon_files(draw):
    feats = []
    for i in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["box", "point", "line", "collection", "empty", "bowtie"]))
        x, y = draw(coords), draw(coords)
        if kind == "box":
            g = shapely.box(113 + i * 0.1, -2, 113.05 + i * 0.1, -1.95)
        elif kind == "point":
            g = shapely.Point(x, y) if x == x and y == y else shapely.Point(113, -2)
        elif kind == "line":
            g = shapely.LineString([(113, -2), (113.1, -2.1)])
        elif kind == "collection":
            g = shapely.GeometryCollection([shapely.box(113, -2, 113.1, -1.9),
                                            shapely.Point(113, -2)])
        elif kind == "empty":
            g = shapely.Polygon()
        else:
            g = shapely.Polygon([(113, -2), (113.1, -1.9), (113.1, -2), (113, -1.9)])
        code = draw(st.one_of(st.sampled_from(["62.71", "6271", "62.01", "99.99", "", "abc"]),
                              st.text(max_size=8)))
        feats.append({"kode": code, "nama": draw(hostile_text), "geometry": g})
    return gpd.GeoDataFrame(feats, geometry="geometry", crs="EPSG:4326")


@given(polygon_files())
def test_hostile_boundaries_never_raise_and_name_every_refused_feature(gdf):
    from geo.importers.boundaries import import_boundaries
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b.geojson"
        try:
            gdf.to_file(path, driver="GeoJSON")
        except Exception:
            return   # a frame GDAL itself cannot write is not an input a user can send
        res = import_boundaries(path, "kabupaten", parent="62")
    rep = res.report
    if rep.fatal:
        return
    assert rep.accepted + rep.rejected == rep.total == len(gdf)
    assert set(rep.rejected_rows) <= set(rep.problems["baris"])
    assert res.data.geometry.is_valid.all()


url_values = st.one_of(st.text(max_size=300), st.sampled_from([
    "99.99", "62.71.01.1001", "<script>alert(1)</script>", "62.71.99", "62..71", "%00",
    "62.71.01.1001.1", "١٢", "６２", " 62 ", "62\n71"]))


@given(url_values)
def test_nearest_region_always_a_known_region_or_indonesia(value):
    from components.state import nearest_region
    known = {"62", "62.71", "62.71.01"}
    shown, why = nearest_region(value, known.__contains__)
    assert shown in known | {""}
    if value not in known and value:
        assert why is not None
