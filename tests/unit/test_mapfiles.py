"""geo.regions.mapfiles: the geometry, Posyandu and hazard files the browser fetches once (real data, 62)."""
from __future__ import annotations

import html
import json

import pytest
import shapely

from geo import datasets
from geo.regions import boundaries as regions
from geo.regions import display, mapfiles


def test_geometry_file_has_every_region_with_a_label_point_inside(tmp_path):
    rel = mapfiles.geometry_file(tmp_path, "kabupaten", "62")
    assert rel.startswith(f"kabupaten-{mapfiles.layer_key('kabupaten')}/")
    data = json.loads((tmp_path / rel).read_text(encoding="utf-8"))
    layer = display.display_layer("kabupaten", "62")
    codes = [f["properties"]["code"] for f in data["features"]]
    assert codes == layer["code"].tolist()
    for feature, geom in zip(data["features"], layer.geometry):
        p = feature["properties"]
        lat, lon = p["lp"]
        assert geom.buffer(1e-3).contains(shapely.Point(lon, lat)), p["code"]
        assert p["ar"] > 0
        assert set(p) == {"code", "name", "lp", "ar"}


def test_geometry_file_escapes_names_and_is_not_rewritten(tmp_path):
    rel = mapfiles.geometry_file(tmp_path, "provinsi", None)
    path = tmp_path / rel
    assert rel.endswith("/id.json")
    names = {f["properties"]["code"]: f["properties"]["name"]
             for f in json.loads(path.read_text(encoding="utf-8"))["features"]}
    assert names["62"] == "Kalimantan Tengah"
    props = mapfiles.geometry_properties(
        display.display_layer("provinsi").assign(name="<b>x</b> & y"))
    assert props["name"].iloc[0] == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    stamp = path.stat().st_mtime_ns
    assert mapfiles.geometry_file(tmp_path, "provinsi", None) == rel
    assert path.stat().st_mtime_ns == stamp


@pytest.fixture(scope="module")
def joined62():
    j = datasets.joined_posyandu()
    return j.loc[j["kode_provinsi"].astype(str) == "62"]


def test_points_files_hold_every_posyandu_of_each_kabupaten(tmp_path, joined62):
    files = mapfiles.points_files(tmp_path, joined62, "test-key", regions.region_names())
    kab = joined62["kode_agregasi"].astype(str).str.split(".").str[:2].str.join(".")
    located = kab[joined62["kode_agregasi"].astype(str).str.count(r"\.") >= 1]
    assert set(files) == set(located)
    total = 0
    for code, rel in files.items():
        rows = json.loads((tmp_path / rel).read_text(encoding="utf-8"))["rows"]
        assert all(r[8] == code or r[8].startswith(code + ".") for r in rows)
        assert all(r[5] in (0, 1, None) for r in rows)
        total += len(rows)
    assert total == len(located)


def test_counts_per_region_sum_to_the_posyandu_located_there(joined62):
    c = mapfiles.counts(joined62, "kabupaten")
    assert set(c.index) <= set(display.display_layer("kabupaten", "62")["code"])
    codes = joined62["kode_agregasi"].astype(str)
    assert c.sum() == int((codes.str.count(r"\.") >= 1).sum())
    assert c["62.71"] == int(((codes == "62.71") | codes.str.startswith("62.71.")).sum())
    off = mapfiles.counts(joined62, "kabupaten", offline_only=True)
    no_net = joined62["internet"].astype("boolean").fillna(True) == False  # noqa: E712
    assert off.sum() == int((no_net & (codes.str.count(r"\.") >= 1)).sum())
    assert (off <= c.reindex(off.index)).all()
    assert mapfiles.counts(joined62, "provinsi").to_dict() == {"62": len(joined62)}


def test_hazard_file_holds_zones_and_escaped_high_posyandu(tmp_path, joined62):
    layers, _ = datasets.hazard_layers()
    zones = layers.zones.loc[layers.zones["jenis"].astype(str) != ""].head(40)
    high = joined62[["lat", "lon", "nama"]].head(5).copy()
    high.iloc[0, high.columns.get_loc("nama")] = "<img src=x onerror=alert(1)>"
    high.iloc[1, high.columns.get_loc("lat")] = float("nan")     # no point: not drawn
    rel = mapfiles.hazard_file(tmp_path, "key-1", "62-semua", zones, high)
    assert rel.endswith("/62-semua.json")
    got = json.loads((tmp_path / rel).read_text(encoding="utf-8"))
    feats = got["zones"]["features"]
    assert len(feats) == len(zones)
    assert [f["properties"]["j"] for f in feats] == zones["jenis"].astype(str).tolist()
    assert [f["properties"]["k"] for f in feats] == zones["kelas"].astype(str).tolist()
    assert {f["properties"]["s"] for f in feats} <= {0, 1}
    assert len(got["high"]) == 4
    assert got["high"][0][2] == "&lt;img src=x onerror=alert(1)&gt;"
    assert [r[2] for r in got["high"][1:]] == [html.escape(str(n)) for n in high["nama"].iloc[2:]]
    other = mapfiles.hazard_file(tmp_path, "key-2", "62-semua", zones.head(1), high.head(0))
    assert other != rel                                          # new data, new URL
