"""Workspace: versions, atomic saves, restore, survival across a restart."""
from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest

from geo import workspace
from geo.config import REPO_ROOT
from tests.helpers import boundary_frame, zones_frame


@pytest.fixture(autouse=True)
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path / "ws"))
    return tmp_path / "ws"


def _points(n: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": [f"P{i}" for i in range(n)], "nama": ["<b>x</b>"] * n},
                            geometry=gpd.points_from_xy([113.9] * n, [-2.2] * n), crs=4326)


def test_save_current_restore(ws):
    assert workspace.current("posyandu") is None and workspace.load("posyandu") is None
    v1 = workspace.save("posyandu", _points(2), name="daftar-1.csv", source="daftar-1.csv")
    v2 = workspace.save("posyandu", _points(3), name="daftar-2.xlsx", source="daftar-2.xlsx")
    assert workspace.current("posyandu").version == v2.version
    assert len(workspace.load("posyandu")) == 3
    assert [v.version for v in workspace.list_versions("posyandu")] == [v2.version, v1.version]
    m = workspace.current("posyandu").manifest
    assert m["name"] == "daftar-2.xlsx" and m["rows"] == 3 and m["format"] == "geoparquet"
    assert m["imported_at"][:4].isdigit() and "T" in m["imported_at"]
    restored = workspace.restore("posyandu")
    assert restored.version == v1.version
    assert len(workspace.load("posyandu")) == 2
    with pytest.raises(workspace.WorkspaceError, match="tidak ada versi sebelumnya"):
        workspace.restore("posyandu")
    assert workspace.restore("posyandu", v2.version).version == v2.version
    assert "Registri Posyandu: daftar-2.xlsx (" in v2.label() and "3 baris)" in v2.label()
    loaded = workspace.load("posyandu")
    assert loaded.crs.to_epsg() == 4326 and loaded["nama"].iloc[0] == "<b>x</b>"


def test_failed_save_never_half_replaces(ws, monkeypatch):
    workspace.save("posyandu", _points(2), name="baik.csv")

    def boom(*a, **k):
        raise OSError("disk penuh")
    monkeypatch.setattr(gpd.GeoDataFrame, "to_parquet", boom)
    with pytest.raises(workspace.StorageError, match="versi sebelumnya tetap dipakai"):
        workspace.save("posyandu", _points(5), name="gagal.csv")
    monkeypatch.undo()
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(ws))
    assert workspace.current("posyandu").name == "baik.csv"
    assert len(workspace.list_versions("posyandu")) == 1
    assert not list((ws / "posyandu").glob(".tmp-*"))


def test_prune_keeps_current_and_previous(ws):
    for i in range(7):
        workspace.save("bahaya", zones_frame(i + 1), name=f"v{i}", keep=3)
    versions = workspace.list_versions("bahaya")
    assert [v.name for v in versions] == ["v6", "v5", "v4"]


def test_indicator_tables_and_unknown_kind(ws):
    df = pd.DataFrame({"code": ["62.01"], "indikator": ["x"], "nilai": [1.5]})
    v = workspace.save("indikator", df, name="t.csv")
    assert v.manifest["format"] == "parquet"
    assert workspace.load("indikator").equals(df)
    with pytest.raises(workspace.WorkspaceError, match="jenis data tidak dikenal"):
        workspace.save("../luar", df, name="x")


def test_survives_restart(ws):
    workspace.save("batas_kabupaten", boundary_frame(4), name="batas.zip")
    code = ("from geo import workspace; v = workspace.current('batas_kabupaten'); "
            "print(v.name, v.rows, len(v.load()))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True,
                         text=True, env={**__import__("os").environ,
                                         "PETA_WORKSPACE_DIR": str(ws)}, check=True)
    assert out.stdout.split() == ["batas.zip", "4", "4"]
    assert json.loads((ws / "batas_kabupaten" / "current.json").read_text())["version"]


def test_datasets_use_the_workspace(ws):
    from geo import datasets
    workspace.save("posyandu", _points(3), name="kab-katingan.xlsx")
    data, info = datasets.posyandu()
    assert len(data) == 3 and not info.sample
    assert info.name == "kab-katingan.xlsx" and info.rows == 3
    assert info.label().startswith("kab-katingan.xlsx (diimpor 20")
    data, meta = workspace.current("posyandu")
    assert meta["path"].endswith("data.parquet") and len(data) == 3
