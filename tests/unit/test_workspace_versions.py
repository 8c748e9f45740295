"""Version-checked saves, saved boundaries used by the maps and joins, and per-kind cache
invalidation (issue 9)."""
from __future__ import annotations

import threading

import geopandas as gpd
import pytest
import shapely

from geo import workspace
from tests.helpers import indicator_frame, zones_frame


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path / "ws"))
    return tmp_path / "ws"


def _points(n: int = 1) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": [f"a{i}" for i in range(n)],
                             "nama": [f"Posyandu {i}" for i in range(n)]},
                            geometry=[shapely.Point(113, -2)] * n, crs="EPSG:4326")


def test_save_based_on_an_old_version_is_refused_and_names_the_other_save(ws):
    seen = workspace.current_version("posyandu")
    assert seen == workspace.NO_VERSION
    first = workspace.save("posyandu", _points(1), name="editor-a.csv", base_version=seen)
    with pytest.raises(workspace.WorkspaceConflict) as exc:
        workspace.save("posyandu", _points(2), name="editor-b.csv", base_version=seen)
    assert exc.value.current.version == first.version
    assert "editor-a.csv" in str(exc.value) and first.version in str(exc.value)
    assert isinstance(exc.value, workspace.WorkspaceError)
    assert workspace.current("posyandu").version == first.version       # nothing switched
    # review, then retry based on what is there now
    second = workspace.save("posyandu", _points(2), name="editor-b.csv",
                            base_version=exc.value.current.version)
    assert workspace.current("posyandu").version == second.version


def test_concurrent_saves_on_one_base_exactly_one_wins(ws):
    base = workspace.current_version("bahaya")
    results, errors = [], []

    def editor(name):
        try:
            results.append(workspace.save("bahaya", zones_frame(3), name=name, base_version=base))
        except workspace.WorkspaceConflict as exc:
            errors.append(exc)
    threads = [threading.Thread(target=editor, args=(f"e{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 1 and len(errors) == 3
    assert workspace.current("bahaya").version == results[0].version


def test_restore_and_discard_are_version_checked(ws):
    a = workspace.save("indikator", indicator_frame(1), name="a")
    b = workspace.save("indikator", indicator_frame(2), name="b")
    with pytest.raises(workspace.WorkspaceConflict):
        workspace.restore("indikator", a.version, base_version=a.version)   # b came since
    workspace.restore("indikator", a.version, base_version=b.version)
    with pytest.raises(workspace.WorkspaceConflict):
        workspace.discard("indikator", base_version=b.version)
    workspace.discard("indikator", base_version=a.version)
    assert workspace.current("indikator") is None


def test_saved_boundaries_replace_their_province_in_maps_and_joins(ws):
    from geo.regions import boundaries as regions
    from geo.regions import display
    before = regions.boundaries("kabupaten", "62")
    join_key_before = regions.cache_file("kecamatan").stem
    other_before = len(regions.boundaries("kabupaten", "63"))
    # the user's kabupaten of 62: the same polygons minus one, one of them moved a little
    mine = before.iloc[1:].copy()
    mine["geometry"] = [shapely.affinity.translate(mine.geometry.iloc[0], 0.01, 0)] + \
        list(mine.geometry.iloc[1:])
    workspace.save("batas_kabupaten", gpd.GeoDataFrame(mine, crs="EPSG:4326"), name="kab62.zip")
    after = regions.boundaries("kabupaten", "62")
    assert sorted(after["code"]) == sorted(mine["code"])
    assert after.geometry.iloc[0].equals_exact(mine.geometry.iloc[0], 1e-9)
    assert len(regions.boundaries("kabupaten", "63")) == other_before      # others untouched
    assert regions.saved_boundary_provinces("kabupaten") == ["62"]
    shown = display.display_layer("kabupaten", "62")
    assert sorted(shown["code"]) == sorted(mine["code"])
    # kecamatan boundaries saved → the join key (and so the joined table) changes
    kec = regions.boundaries("kecamatan", "62").head(3)
    workspace.save("batas_kecamatan", gpd.GeoDataFrame(kec, crs="EPSG:4326"), name="kec.geojson")
    assert regions.cache_file("kecamatan").stem != join_key_before
    assert len(regions.boundaries("kecamatan", "62")) == 3
    workspace.discard("batas_kecamatan")
    workspace.discard("batas_kabupaten")
    assert len(regions.boundaries("kabupaten", "62")) == len(before)


def test_a_save_clears_only_the_caches_of_its_kind(monkeypatch):
    from components import data
    from geo.regions import display
    calls = []
    real = display.display_layer

    def counting(level, parent=None):
        calls.append((level, parent))
        return real(level, parent)
    monkeypatch.setattr(display, "display_layer", counting)
    data._display_layer.clear()
    data.display_layer("kabupaten", "62")
    data.display_layer("kabupaten", "62")
    assert len(calls) == 1
    cleared = data.invalidate("posyandu")
    assert "joined" in cleared and "display_layer" not in cleared
    data.display_layer("kabupaten", "62")
    assert len(calls) == 1                  # a registry save keeps the drawn boundaries
    assert "display_layer" not in data.invalidate("indikator")
    assert "display_layer" in data.invalidate("batas_kabupaten")
    data.display_layer("kabupaten", "62")
    assert len(calls) == 2
