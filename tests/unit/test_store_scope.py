"""Region scopes of editors and the file store behind the store interface (no database)."""
from __future__ import annotations

import pandas as pd
import pytest

from geo.importers.report import ImportReport
from geo.store import User, WorkspaceConflict, get_store, in_scope
from geo.store.scope import apply_scope
from geo.store.versions import overlaps


def test_in_scope_by_code_prefix():
    assert in_scope("62.03.01.1001", ["62.03"]) and in_scope("62.03", ["62.03"])
    assert not in_scope("62.031", ["62.03"]) and not in_scope("62.71.01.1001", ["62.03"])
    assert not in_scope(None, ["62.03"]) and in_scope("62.71.01.1001", ["62.03", "62.71"])


def test_scopes_overlap():
    assert overlaps(["62.03"], ["62.03.01"]) and overlaps(None, ["62.03"])
    assert not overlaps(["62.03"], ["62.71"]) and not overlaps(["62.03"], ["62.031"])


def test_apply_scope_refuses_and_names_rows_outside():
    data = pd.DataFrame({"kode_desa": ["62.03.01.1001", "62.71.01.1001", "62.03.02.1001"],
                         "baris": [2, 3, 4]})
    rep = ImportReport.build("posyandu", "f.csv", 3, [2, 3, 4], [])
    kept, rep2 = apply_scope("posyandu", data, rep, ["62.03"])
    assert kept["baris"].tolist() == [2, 4]
    assert rep2.counts["diterima"] == 2 and rep2.counts["ditolak"] == 1
    (row,) = rep2.problems.to_dict("records")
    assert row["baris"] == 3 and row["tingkat"] == "ditolak" and "62.71.01.1001" in row["pesan"]
    assert apply_scope("posyandu", data, rep, []) == (data, rep)   # no scope: all regions


def test_file_store_is_the_workspace_and_checks_base_version(tmp_path, monkeypatch):
    monkeypatch.delenv("PETA_DATABASE_URL", raising=False)
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path))
    from geo import workspace
    store = get_store()
    # nothing imported yet: the base of a first save is "no version" (a save by someone
    # else in between is then refused too)
    assert not store.requires_login and store.base_version("indikator") == workspace.NO_VERSION
    frame = pd.DataFrame({"code": ["62"], "indikator": ["x"], "nilai": [1.0]})
    v1 = store.save("indikator", frame, name="a.csv", source_sha256="ab" * 32)
    assert workspace.current("indikator").version == v1.version
    assert workspace.current("indikator").manifest["sha256"] == "ab" * 32
    dv, dvs = store.data_version(), store.data_versions()
    store.save("indikator", frame, name="b.csv", base_version=v1.version)
    assert store.data_version() != dv
    changed = {k for k, v in store.data_versions().items() if dvs.get(k) != v}
    assert changed == {"indikator"}         # only the saved kind's version moves
    with pytest.raises(WorkspaceConflict):
        store.save("indikator", frame, name="c.csv", base_version=v1.version)
    assert workspace.current("indikator").name == "b.csv"
    assert User("x", "admin").whole and not User("x", "editor", ("62",)).whole


# Scope holds where a row is counted and drawn, not only for its declared code (issue 30)

IN_6203 = (114.38527555356967, -2.9071255000000003)     # inside 62.03.05.2001 (Sei Kayu)
IN_6204 = (114.84649247716447, -2.4626089999999996)     # inside 62.04.01.2001 (Tampulang)


def _rows(*rows):
    """A Posyandu import result: (kode_desa, (lon, lat) or None) per row, file rows 2, 3, …"""
    import geopandas as gpd
    import shapely
    pts = [shapely.Point(p) if p else None for _, p in rows]
    return gpd.GeoDataFrame({
        "baris": list(range(2, 2 + len(rows))), "id": [f"P{i}" for i in range(len(rows))],
        "nama": [f"Posyandu {i}" for i in range(len(rows))], "kode_desa": [k for k, _ in rows],
        "lat": [p[1] if p else None for _, p in rows],
        "lon": [p[0] if p else None for _, p in rows]}, geometry=pts, crs="EPSG:4326")


def _report(data):
    return ImportReport.build("posyandu", "f.csv", len(data), data["baris"].tolist(), [])


def test_unknown_code_in_scope_with_point_in_another_region_is_refused():
    data = _rows(("62.03.05.2001", IN_6203), ("62.03.99.9999", IN_6204))
    kept, rep = apply_scope("posyandu", data, _report(data), ["62.03"])
    assert kept["baris"].tolist() == [2]
    assert rep.counts["diterima"] == 1 and rep.counts["ditolak"] == 1
    (row,) = rep.problems.to_dict("records")
    assert row["baris"] == 3 and row["tingkat"] == "ditolak" and row["kolom"] == "lat, lon"
    assert row["nilai"] == f"{round(IN_6204[1], 6)}; {round(IN_6204[0], 6)}"
    # the code, where the point lies (named) and where it would be counted
    assert "62.03.99.9999" in row["pesan"] and "Tampulang" in row["pesan"]
    assert "titiknya berada di Tampulang" in row["pesan"]
    assert "dihitung di Tampulang" in row["pesan"] and "62.04.01.2001" in row["pesan"]
    assert "di luar wilayah kewenangan Anda (62.03)" in row["pesan"]


def test_known_code_in_scope_with_point_in_another_region_is_refused():
    data = _rows(("62.03.05.2001", IN_6204), ("62.03.05.2001", IN_6203))
    kept, rep = apply_scope("posyandu", data, _report(data), ["62.03"])
    assert kept["baris"].tolist() == [3]
    (row,) = rep.problems.to_dict("records")
    assert row["baris"] == 2 and row["kolom"] == "lat, lon"
    assert "kode desa 62.03.05.2001 ada di wilayah kewenangan Anda (62.03)" in row["pesan"]
    assert "titiknya berada di Tampulang" in row["pesan"] and "62.04.01.2001" in row["pesan"]
    assert "dihitung" not in row["pesan"]          # counted in 62.03, drawn in 62.04


def test_row_fully_inside_scope_is_accepted():
    data = _rows(("62.03.05.2001", IN_6203), ("", IN_6203), ("62.03.99.9999", IN_6203),
                 ("62.03.05.2001", None), ("62.03.99.9999", None))
    kept, rep = apply_scope("posyandu", data, _report(data), ["62.03"])
    assert (kept, rep) == (data, rep) and rep.counts["ditolak"] == 0
    # where they are stored (the region each is counted in; else the declared code)
    from geo.store.scope import region_codes
    assert region_codes("posyandu", data).tolist() == [
        "62.03.05.2001", "62.03.05.2001", "62.03.05.2001", "62.03.05.2001", "62.03.99.9999"]
    # and the editor of 62.04 may not save them
    kept, rep = apply_scope("posyandu", data, _report(data), ["62.04"])
    assert len(kept) == 0 and rep.counts["ditolak"] == 5


def test_unknown_code_is_stored_under_the_region_it_is_counted_in():
    """An admin saves the row (no scope): it is kept under 62.04.01.2001, where it is
    counted, so the 62.04 editor may replace or remove it."""
    from geo.store.scope import region_codes
    data = _rows(("62.03.99.9999", IN_6204), ("62.03.05.2001", IN_6204))
    assert region_codes("posyandu", data).tolist() == ["62.04.01.2001", "62.03.05.2001"]


def test_saves_refuse_rows_counted_or_drawn_outside_scope(tmp_path, monkeypatch):
    """The store's own check (both stores call geo.store.scope.check_scope): nothing is
    saved and the rows are named."""
    from geo.store.base import AuthError
    from geo.store.files import FileStore
    from geo.store.scope import check_scope
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path))
    data = _rows(("62.03.05.2001", IN_6203), ("62.03.99.9999", IN_6204),
                 ("62.03.05.2001", IN_6204))
    editor = User("kapuas", "editor", ("62.03",))
    with pytest.raises(AuthError) as err:
        check_scope("posyandu", data, ["62.03"])
    text = str(err.value)
    assert "2 baris berada di luar wilayah kewenangan Anda (62.03)" in text
    assert "Baris 3: kode desa 62.03.99.9999" in text and "Baris 4: kode desa" in text
    assert "Tampulang" in text and "/" not in text.replace("lat, lon", "")
    with pytest.raises(AuthError):
        FileStore().save("posyandu", data, name="x.csv", user=editor)
    from geo import workspace
    assert workspace.current("posyandu") is None
    v = FileStore().save("posyandu", data.iloc[:1], name="x.csv", user=editor)
    assert v.rows == 1


def test_without_boundaries_points_cannot_be_checked_and_are_refused(monkeypatch, tmp_path):
    """No data directory: a scoped editor's rows are refused in words (no server path)."""
    monkeypatch.setenv("PETA_DATA_DIR", str(tmp_path / "kosong"))   # caches are per folder
    data = _rows(("62.03.05.2001", IN_6203))
    kept, rep = apply_scope("posyandu", data, _report(data), ["62.03"])
    (row,) = rep.problems.to_dict("records")
    assert len(kept) == 0 and "data batas wilayah belum tersedia" in row["pesan"]
    assert str(tmp_path) not in row["pesan"]


def test_declared_codes_of_text_and_object_columns_agree():
    """A text column is normalised once per distinct value (a dotted code as it is); the
    result is normalize_code's for every cell, as for any other column."""
    from geo.codes import normalize_code
    from geo.store.scope import _declared
    cells = ["62.03", " 62.03 ", "6203", "62.03\n", "", "  ", None, "٦٢.٠٣", "62.3",
             "62.03.01.2001", "6271011001", "62.03.01.2001", "abc", "62.03.01.2001x"]
    expected = [normalize_code(v) if isinstance(v, str) and v.strip() else None
                for v in cells]
    for dtype in ("str", object):
        got = _declared("posyandu", pd.DataFrame({"kode_desa": pd.Series(cells,
                                                                          dtype=dtype)}))
        assert got.tolist() == expected, dtype
