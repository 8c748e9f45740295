"""Property-based tests (hypothesis, issue 9): generated hostile registries, boundary files
and URL parameters thrown at the importers and the URL state. Properties: nothing raises;
every good row is kept; every bad row is named in the report; every row is counted once.
Issue 25: the column-by-column import gives exactly the report, accepted table and
suggestions of the row-by-row import it replaced, kept as the reference in
tests/unit/posyandu_reference.py (so this can still fail now that geo has no per-row path).

Run time is kept modest (few examples, no deadline): the point is breadth of shapes, the
CI suite must stay fast. ``HYPOTHESIS_PROFILE=deep`` runs many more examples locally.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.importers.posyandu import apply_suggestions, import_posyandu
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


# --------------------------------------------------------------------------- issue 25
# The column-by-column import against the per-row import it replaced (kept verbatim in
# tests/unit/posyandu_reference.py): generated registries mixing every shape a row can take
# must give the same report (every finding, in order), the same accepted table and the
# same suggestions.

EQ_KNOWN = {"62.71.01.1001", "62.71.01.1002", "62.71.01.1003"}
EQ_LAND = [shapely.box(110, -5, 115, 0)]
EQ_FIELDS = ["id", "nama", "kode_desa", "lat", "lon", "strata", "aktif", "jumlah_kader",
             "kader_terlatih", "balita_sasaran", "balita_ditimbang", "balita_stunting",
             "internet", "layanan_sosial", "sampel", "nama_desa", "nama_kecamatan",
             "catatan"]
EQ_VALUES = {
    "id": st.one_of(st.sampled_from(["A1", "a1", "A-1", "A_1", "Ａ1", "A2", "", None, 7, 7.0,
                                     7.5, float("nan")]), hostile_text),
    "nama": st.one_of(st.sampled_from(["Posyandu Mawar", "Mawar", "", None, "<b>x</b>",
                                       "Jumlah", "Total", "Sub total", "Melati 2"]), hostile_text),
    "kode_desa": st.one_of(st.sampled_from(
        ["62.71.01.1001", "6271011001", 6271011001, 6271011001.0, "62.71.01.1002",
         " 62 71 01 1003 ", "62.71.01.9999", "62.71", "abc", "", None, "6271011001.0",
         "62-71-01-1001", 62.5]), hostile_text),
    "lat": st.one_of(st.sampled_from(
        ["-2.2", "-2,2083", "2°12'30\" LS", "LS 2 12 30", "113.9", "-6", "-0.01", "1.",
         "+0.5", "abc", "", None, -2.21, 5, True, "-2.2 S", "2.5 LU", "113 BT", "−2.2",
         "99999999999999999999999999999999999999999999999999999999999999999999999999"]),
        hostile_text),
    "lon": st.one_of(st.sampled_from(
        ["113.9", "113,9", "113°54'45\" BT", "-2.2", "112", "200", "", None, 113.5, "2.2 S",
         "abc", "BT 113"]), hostile_text),
    "strata": st.sampled_from(["Madya", "madya", " MANDIRI ", "x", "", None, 3]),
    "counts": st.one_of(st.sampled_from(["5", "0", "-1", "2.5", "1e19", "nan", "inf", "3,0",
                                         "1 000", "", None, 4, 4.0, 2.5, "x", "1000001",
                                         "١٢"]), hostile_text),
    "flags": st.sampled_from(["ya", "Tidak", "Y", "1", "0", "aktif", "x", "", None, True, 1,
                              0.0]),
    "nama_desa": st.sampled_from(["Pahandut", "Panarung", "Langkai", "Langkay",
                                  "Tumbang Rungan", "Pahandut Seberang", "Xyz", "", None]),
    "nama_kecamatan": st.sampled_from(["Pahandut", "Jekan Raya", "", None]),
    "catatan": st.one_of(st.sampled_from(["", "Jumlah", "ok"]), hostile_text),
}


def _eq_value(fld):
    if fld in ("jumlah_kader", "kader_terlatih", "balita_sasaran", "balita_ditimbang",
               "balita_stunting"):
        return EQ_VALUES["counts"]
    if fld in ("aktif", "internet", "layanan_sosial", "sampel"):
        return EQ_VALUES["flags"]
    return EQ_VALUES[fld]


@st.composite
def eq_tables(draw):
    """A RawTable (cells of any type, as a CSV or XLSX reader gives them) with a header of
    a random subset of the fields; some rows repeated, some short."""
    from geo.importers.table import RawTable
    fields = draw(st.lists(st.sampled_from(EQ_FIELDS), min_size=2, max_size=len(EQ_FIELDS),
                           unique=True))
    if "nama" not in fields:
        fields.insert(draw(st.integers(0, len(fields))), "nama")
    rows = [(1, list(fields))]
    for k in range(draw(st.integers(0, 12))):
        if len(rows) > 1 and draw(st.integers(0, 6)) == 0:
            values = list(rows[draw(st.integers(1, len(rows) - 1))][1])   # a repeated row
        else:
            values = [draw(_eq_value(f)) for f in fields]
            values = [v.strip() or None if isinstance(v, str) else v for v in values]
        if draw(st.booleans()) and len(values) > 2:
            values = values[:draw(st.integers(2, len(values)))]           # a short row
        rows.append((k + 2 + draw(st.integers(0, 1)) * 100, values))
    rows[1:] = sorted(rows[1:], key=lambda r: r[0])
    rows = [r for i, r in enumerate(rows) if i == 0 or r[0] != rows[i - 1][0]]
    return RawTable(rows, ["Catatan pembaca."])


def _same(new, old) -> None:
    import pandas as pd
    pd.testing.assert_frame_equal(new.report.problems, old.report.problems)
    for attr in ("total", "accepted", "notes", "fatal", "accepted_rows"):
        assert getattr(new.report, attr) == getattr(old.report, attr), attr
    pd.testing.assert_frame_equal(new.data, old.data)
    pd.testing.assert_frame_equal(new.suggestions, old.suggestions)


@given(eq_tables(), st.sampled_from([None, "62", "62.71"]),
       st.sampled_from([{}, {3: "62.71.01.1002"}, {4: "62.71.01.1001"}]))
def test_columnwise_import_equals_the_per_row_import(table, parent, overrides):
    from geo.importers.posyandu import import_table
    from tests.unit.posyandu_reference import reference_import_table
    kw = dict(known_villages=EQ_KNOWN, land=EQ_LAND, parent=parent, overrides=overrides)
    try:
        old = reference_import_table(table, **kw)
    except Exception as exc:    # the old path refused it (e.g. no header): so must the new
        with pytest.raises(type(exc)):
            import_table(table, **kw)
        return
    new = import_table(table, **kw)
    _same(new, old)
    if len(old.suggestions):
        _same(apply_suggestions(new), apply_suggestions(old))


@given(registries(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_columnwise_import_equals_the_per_row_import_on_hostile_files(reg, encoding):
    from geo.importers.table import read_cells
    from tests.unit.posyandu_reference import reference_import_table
    text = reg[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.csv"
        path.write_bytes(text.encode(encoding, errors="replace"))
        new = import_posyandu(path, known_villages=KNOWN, land=EQ_LAND)
        old = reference_import_table(read_cells(path), known_villages=KNOWN, land=EQ_LAND,
                                     source="r.csv")
    _same(new, old)
