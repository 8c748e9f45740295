"""Tests of ``python -m geo fetch`` (geo.fetch.command) and the upstream conversion (geo.fetch.upstream).

The fixture upstream files are written here, in the upstream format, and served by a
local HTTP server on 127.0.0.1; nothing goes to the internet.
"""
from __future__ import annotations

import argparse
import http.server
import shutil
import socket
import threading
import urllib.request
from functools import partial
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import config
from geo.fetch import command as F
from geo.fetch import download as FD
from geo.fetch import manifest as FM
from geo.fetch import shapes as USH
from geo.fetch import sql as US
from geo.fetch import upstream as U

SHARED = config.SHARED_DATA
SAMPLE = SHARED / "upstream"

# --------------------------------------------------------------------------------------
# Fixture upstream (format of ../shared/data/README.md §4)
# --------------------------------------------------------------------------------------
HEADER = "/*\nfixture written by tests/unit/test_fetch.py\nMIT License\n*/\n"


def _ring(lat0, lng0, lat1, lng1):
    """A closed rectangle ring as [lat, lng] pairs (the upstream order)."""
    return [[lat0, lng0], [lat0, lng1], [lat1, lng1], [lat1, lng0], [lat0, lng0]]


def _js(obj, spaced=False):
    s = str(obj).replace(" ", "")
    return s.replace(",", ", ") if spaced else s


def _bsql(rows, spaced=False):
    """A wilayah_boundaries file: two INSERT statements, one row per line."""
    lines = [HEADER, "DELETE FROM wilayah_boundaries WHERE kode LIKE 'x%';\n"]
    half = max(1, len(rows) // 2)
    for chunk in (rows[:half], rows[half:]):
        if not chunk:
            continue
        lines.append("INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES\n")
        for i, (code, name, path) in enumerate(chunk):
            end = ";" if i == len(chunk) - 1 else ","
            nm = name.replace("'", "''")
            lines.append(f"\t('{code}','{nm}',-1.5,112.5,'{_js(path, spaced)}'){end}\n")
    return "".join(lines)


CODES = [
    ("62", "Kalimantan Tengah"), ("62.01", "Kabupaten Kotawaringin Barat"),
    ("62.01.01", "Kumai"), ("62.01.01.1001", "Kumai Hulu"), ("62.01.01.2002", "Sungai Ba'u"),
    ("62.71", "Kota Palangka Raya"), ("62.71.01", "Pahandut"), ("62.71.01.1001", "Panarung"),
    ("64", "Kalimantan Timur"), ("64.01", "Kabupaten Paser"), ("64.01.01", "Batu Sopang"),
    ("64.01.01.2001", "Batu Kajang"),
    ("96", "Papua Barat Daya"), ("96.01", "Kabupaten Sorong"),
]


def _wilayah_sql():
    body = ",\n".join(f"('{c}','{n.replace(chr(39), chr(39) * 2)}')" for c, n in CODES)
    return (HEADER + "DROP TABLE IF EXISTS wilayah;\n-- Provinsi X\n"
            "INSERT INTO wilayah (kode, nama)\nVALUES\n" + body + ";\n")


# Province 62: a multipolygon whose second part lies inside the first (nested shells,
# i.e. self-overlapping); province 64: a self-intersecting ("bow-tie") ring.
P62 = [[_ring(-3.0, 111.0, -1.0, 114.0)], [_ring(-2.5, 111.5, -2.0, 112.0)]]
P64 = [[[0.0, 116.0], [1.0, 117.0], [1.0, 116.0], [0.0, 117.0], [0.0, 116.0]]]
P96 = [_ring(-1.0, 131.0, -0.5, 131.5)]
SORONG_OLD = [_ring(-1.2, 131.2, -0.4, 132.0)]      # ~7,900 km2, within the plausible range
SORONG_NEW = [_ring(-1.2, 131.2, 0.0, 132.2)]       # enlarged


def write_fixture_mirror(root: Path, with_indicators=True) -> Path:
    wb = root / "wilayah_boundaries" / "db"
    files = {
        "prov/wilayah_boundaries_prov_5.sql": [("62", "Kalimantan Tengah", P62),
                                               ("64", "Kalimantan Timur", P64)],
        "prov/wilayah_boundaries_prov_8.sql": [("96", "Papua Barat Daya", P96)],
        "kab/wilayah_boundaries_kab_62.sql": [
            ("62.01", "Kabupaten Kotawaringin Barrat", [_ring(-3.0, 111.0, -2.0, 112.0)]),
            ("62.71", "Kota Palangkaraya", [_ring(-2.0, 113.0, -1.5, 113.5)])],
        "kab/wilayah_boundaries_kab_64.sql": [("64.01", "Kabupaten Paser", [_ring(0.0, 116.0, 1.0, 117.0)])],
        "kab/wilayah_boundaries_kab_96.sql": [("96.01", "Kabupaten Sorong", SORONG_NEW)],
        "kec/wilayah_boundaries_kec_62.sql": [
            ("62.01.01", "Kumai", [_ring(-3.0, 111.0, -2.5, 111.5)]),
            ("62.71.01", "Pahandut", [_ring(-2.0, 113.0, -1.8, 113.2)])],
        "kec/wilayah_boundaries_kec_64.sql": [("64.01.01", "Batu Sopang", [_ring(0.0, 116.0, 0.5, 116.5)])],
        "kel/62/wilayah_boundaries_kel_62.01.sql": [
            ("62.01.01.1001", "Kumai Hulu", [_ring(-3.0, 111.0, -2.8, 111.2)]),
            # two overlapping parts (self-overlapping multipolygon)
            ("62.01.01.2002", "Sungai Ba'u", [[_ring(-2.8, 111.0, -2.6, 111.2)],
                                              [_ring(-2.7, 111.1, -2.5, 111.3)]])],
        "kel/62/wilayah_boundaries_kel_62.71.sql": [("62.71.01.1001", "Panarung", "")],
        "kel/64/wilayah_boundaries_kel_64.01.sql": [("64.01.01.2001", "Batu Kajang", P64)],
    }
    for rel, rows in files.items():
        p = wb / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        # blanks after the commas in one file, as in the Fakfak source file
        p.write_text(_bsql(rows, spaced=rel.endswith("64.01.sql")), encoding="utf-8")
    old = root / f"wilayah_boundaries@{FM.SORONG_COMMIT}" / "db/kab/wilayah_boundaries_kab_96.sql"
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_text(_bsql([("96.01", "Kabupaten Sorong", SORONG_OLD)]), encoding="utf-8")
    wl = root / "wilayah" / "db"
    wl.mkdir(parents=True, exist_ok=True)
    (wl / "wilayah.sql").write_text(_wilayah_sql(), encoding="utf-8")
    if with_indicators:
        (wl / "wilayah_penduduk.sql").write_text(
            HEADER + "INSERT INTO wilayah_penduduk(kode, nama, pria, wanita, total)\nVALUES\n"
            "('0','INDONESIA','30','30','60'),\n('62','Kalimantan Tengah','10','20','30'),\n"
            "('62.01','Kabupaten Kotawaringin Barat','4','5','9');\n", encoding="utf-8")
        (wl / "wilayah_luas.sql").write_text(
            HEADER + "INSERT INTO wilayah_luas(kode,nama,luas)\nVALUES\n"
            "('62.0','Kalimantan Tengah',153430.363),\n('62.01','Kab Kotawaringin Barat',9475.854);\n",
            encoding="utf-8")
    return root


def fixture_manifest(root: Path) -> FM.Manifest:
    m = FM.manifest_for_dir(root)
    # the Sorong file is pinned without a checksum, as in the packaged manifest
    m.pop(FM.sorong_entry().key, None)
    return m


# --------------------------------------------------------------------------------------
# Local HTTP server
# --------------------------------------------------------------------------------------
class _Handler(http.server.SimpleHTTPRequestHandler):
    drop: set = set()          # url paths answered with half the body, then a closed connection
    requests: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).requests.append(self.path)
        if self.path in type(self).drop:
            data = Path(self.translate_path(self.path)).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


@pytest.fixture
def mirror(tmp_path):
    return write_fixture_mirror(tmp_path / "mirror")


@pytest.fixture
def server(mirror):
    handler = type("H", (_Handler,), {"drop": set(), "requests": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(mirror)))
    t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    finally:
        httpd.shutdown()
        httpd.server_close()


FAST = dict(progress=False, retries=1, backoff=0.0, timeout=5.0, say=lambda s: None)
ALL = ["provinsi", "kabupaten", "kecamatan", "desa"]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def stage_dirs(dest: Path) -> list[Path]:
    return [p for p in dest.parent.iterdir() if p.name.startswith(f".{dest.name}.fetch-")]


# --------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------
def test_parse_values_line():
    assert US.parse_values_line("('11.01.02.2018','Pasi Kuala Ba''u'),") == ["11.01.02.2018", "Pasi Kuala Ba'u"]
    assert US.parse_values_line("('11.1','Kab X',1851.615);") == ["11.1", "Kab X", "1851.615"]
    assert US.parse_values_line("  ('1', NULL , -2.5e-3)") == ["1", None, "-2.5e-3"]
    assert US.parse_values_line("INSERT INTO x VALUES") is None


def test_path_order_and_depth():
    poly = USH.path_to_parts("[[[-2.0,111.0],[-2.0,112.0],[-1.0,112.0],[-2.0,111.0]]]")
    multi = USH.path_to_parts("[[[[-2.0, 111.0], [-2.0, 112.0], [-1.0, 112.0], [-2.0, 111.0]]]]")
    assert len(poly) == len(multi) == 1
    assert poly[0].equals(multi[0])
    assert poly[0].bounds == (111.0, -2.0, 112.0, -1.0)  # lng, lat after the swap
    assert USH.path_to_parts("") == []


def test_manifest_is_packaged_and_pinned():
    m = FM.load_manifest()
    assert len(m) == 602
    e = m["wilayah_boundaries/db/kab/wilayah_boundaries_kab_62.sql"]
    assert e.bytes == 92134 and len(e.sha256) == 64
    assert FD.url_for(e, None) == ("https://raw.githubusercontent.com/cahyadsn/wilayah_boundaries/"
                                  "3c5a7960f4d227a38489094d84252bdbb3f978a5/db/kab/wilayah_boundaries_kab_62.sql")
    assert FD.url_for(m["wilayah/db/wilayah.sql"], None).startswith(
        "https://raw.githubusercontent.com/cahyadsn/wilayah/b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7/")
    assert FD.url_for(FM.sorong_entry(), None) == (
        "https://raw.githubusercontent.com/cahyadsn/wilayah_boundaries/"
        f"{FM.SORONG_COMMIT}/db/kab/wilayah_boundaries_kab_96.sql")
    if (SAMPLE / "manifest.csv").exists():
        ref = pd.read_csv(SAMPLE / "manifest.csv", dtype=str)
        keys = ref.repository.str.split("/").str[1] + "/" + ref.path
        assert dict(zip(keys, ref.sha256)) == {k: v.sha256 for k, v in m.items()}


def test_plan_levels_and_sizes():
    m = FM.load_manifest()
    plan = FM.make_plan(FM.DEFAULT_LEVELS, None, m)
    assert len(plan.provinces) == 38 and plan.village_bytes == {}
    assert not any("/db/kel/" in e.key for e in plan.required)
    plan = FM.make_plan(ALL, ["62"], m)
    assert [e.key for e in plan.required if "prov/" in e.key] == [
        "wilayah_boundaries/db/prov/wilayah_boundaries_prov_5.sql"]
    assert sum(1 for e in plan.required if "/kel/62/" in e.key) == 14
    assert 4_000_000 < plan.village_bytes["62"] < 6_000_000
    with pytest.raises(FM.FetchError, match="--provinces"):
        FM.make_plan(["desa"], None, m)
    with pytest.raises(FM.FetchError):
        FM.make_plan(["kota"], ["62"], m)


# --------------------------------------------------------------------------------------
# Fetch against the local server
# --------------------------------------------------------------------------------------
def test_fetch_over_http_converts(tmp_path, mirror, server):
    url, handler = server
    dest = tmp_path / "data"
    res = F.fetch(ALL, ["62", "64"], source=url, dest=dest, manifest=fixture_manifest(mirror), **FAST)
    assert any(p.startswith("/wilayah_boundaries/db/kel/64/") for p in handler.requests)
    assert stage_dirs(dest) == []

    prov = pd.read_csv(dest / "regions/provinces.csv", dtype=str)
    assert list(prov.columns) == ["code", "name"] and list(prov.code) == ["62", "64", "96"]
    vil = pd.read_csv(dest / "regions/villages.csv", dtype=str)
    assert list(vil.columns) == ["code", "district_code", "regency_code", "province_code", "name", "kind"]
    assert vil.set_index("code").loc["62.01.01.2002", "name"] == "Sungai Ba'u"
    assert vil.set_index("code").loc["62.01.01.1001", "kind"] == "kelurahan"
    reg = pd.read_csv(dest / "regions/regencies.csv", dtype=str).set_index("code")
    assert reg.loc["62.71", "kind"] == "kota" and reg.loc["62.01", "kind"] == "kabupaten"

    layers = {lvl: U.read_layer(dest / rel) for lvl, rel in config.BOUNDARY_FILES.items()}
    for lvl, g in layers.items():
        assert g.geometry.is_valid.all() and set(g.geom_type) == {"MultiPolygon"}, lvl
        assert g.crs.to_epsg() == 4326
        assert (g.geometry.bounds.minx > 100).all()  # lng first
    p = layers["provinsi"].set_index("code")
    assert list(p.index) == ["62", "64"] and p.parent_code.isna().all()
    assert set(p.level) == {"province"}
    # nested shells unioned: the big rectangle, the inner one absorbed
    assert p.loc["62", "geometry"].area == pytest.approx(3.0 * 2.0)
    # bow-tie ring made valid: two triangles of 0.25 square degrees each
    assert p.loc["64", "geometry"].area == pytest.approx(0.5)
    assert len(p.loc["64", "geometry"].geoms) == 2
    k = layers["kabupaten"].set_index("code")
    assert list(k.columns[:4]) == ["name", "level", "parent_code", "kind"]
    assert k.loc["62.01", "name"] == "Kabupaten Kotawaringin Barat"  # official, not the source typo
    assert k.loc["62.71", "name"] == "Kota Palangka Raya" and k.loc["62.71", "parent_code"] == "62"
    d = layers["kecamatan"].set_index("code")
    assert list(d.index) == ["62.01.01", "62.71.01", "64.01.01"] and d.loc["64.01.01", "parent_code"] == "64.01"
    v = layers["desa"]
    assert list(v.columns) == ["code", "name", "level", "parent_code", "regency_code",
                               "province_code", "kind", "geometry"]
    v = v.set_index("code")
    assert list(v.index) == ["62.01.01.1001", "62.01.01.2002", "64.01.01.2001"]  # empty path: no row
    assert v.loc["62.01.01.2002", "name"] == "Sungai Ba'u"
    assert v.loc["62.01.01.2002", "geometry"].area == pytest.approx(0.07)  # overlap dissolved
    assert (v.loc["62.01.01.2002", "parent_code"], v.loc["62.01.01.2002", "regency_code"],
            v.loc["62.01.01.2002", "province_code"], v.loc["62.01.01.2002", "kind"]) == (
        "62.01.01", "62.01", "62", "desa")
    # coordinates on the 1e-6 grid
    xy = shapely.get_coordinates(layers["kabupaten"].geometry.values)
    assert np.allclose(xy, np.round(xy, 6), atol=1e-9)
    text = (dest / config.BOUNDARY_FILES["provinsi"]).read_text()
    assert '"parent_code": null' in text and '"xy_coordinate_resolution": 1e-06' in text

    pa = pd.read_csv(dest / "indicators/population_area_2024.csv", dtype=str)
    assert list(pa.columns) == U.POPULATION_AREA_COLUMNS
    assert list(pa.code) == ["62", "62.01"]  # national row dropped, '62.0' repaired by name
    assert pa.set_index("code").loc["62", "area_km2"] == "153430.363"
    assert pa.set_index("code").loc["62.01", "pop_total"] == "9"
    assert res.warnings == []


def test_sorong_correction_uses_pinned_previous_version(tmp_path, mirror, server):
    url, _ = server
    dest = tmp_path / "data"
    F.fetch(["provinsi", "kabupaten"], ["96"], source=url, dest=dest,
            manifest=fixture_manifest(mirror), **FAST)
    k = U.read_layer(dest / config.BOUNDARY_FILES["kabupaten"]).set_index("code")
    assert k.loc["96.01", "geometry"].bounds == pytest.approx((131.2, -1.2, 132.0, -0.4))
    # without the pinned file in the mirror: upstream polygon kept, with a warning
    shutil.rmtree(mirror / f"wilayah_boundaries@{FM.SORONG_COMMIT}")
    res = F.fetch(["provinsi", "kabupaten"], ["96"], source=mirror, dest=dest,
                  manifest=fixture_manifest(mirror), **FAST)
    assert any("Sorong" in w for w in res.warnings)
    k = U.read_layer(dest / config.BOUNDARY_FILES["kabupaten"]).set_index("code")
    assert k.loc["96.01", "geometry"].bounds == pytest.approx((131.2, -1.2, 132.2, 0.0))


def test_corrupted_file_is_rejected_and_nothing_replaced(tmp_path, mirror, server):
    url, _ = server
    dest = tmp_path / "data"
    manifest = fixture_manifest(mirror)
    F.fetch(ALL, ["62"], source=mirror, dest=dest, manifest=manifest, **FAST)
    before = snapshot(dest)
    kel = mirror / "wilayah_boundaries/db/kel/62/wilayah_boundaries_kel_62.01.sql"
    data = bytearray(kel.read_bytes())
    data[-20] = ord("9") if data[-20] != ord("9") else ord("8")  # same size, other content
    kel.write_bytes(bytes(data))
    with pytest.raises(FM.ChecksumError, match="sha256"):
        F.fetch(ALL, ["62", "64"], source=url, dest=dest, manifest=manifest, **FAST)
    with pytest.raises(FM.ChecksumError):  # a folder mirror is checked the same way
        F.fetch(ALL, ["62", "64"], source=mirror, dest=dest, manifest=manifest, **FAST)
    assert snapshot(dest) == before
    assert stage_dirs(dest) == []


def test_interrupted_download_leaves_old_data(tmp_path, mirror, server):
    url, handler = server
    dest = tmp_path / "data"
    manifest = fixture_manifest(mirror)
    F.fetch(ALL, ["62"], source=mirror, dest=dest, manifest=manifest, **FAST)
    before = snapshot(dest)
    handler.drop.add("/wilayah_boundaries/db/kel/64/wilayah_boundaries_kel_64.01.sql")
    with pytest.raises(FM.SourceUnavailable) as exc:
        F.fetch(ALL, ["62", "64"], source=url, dest=dest, manifest=manifest, **FAST)
    assert "PETA_DATA_DIR" in str(exc.value) and "--from" in str(exc.value)
    assert handler.requests.count("/wilayah_boundaries/db/kel/64/wilayah_boundaries_kel_64.01.sql") == 2
    assert snapshot(dest) == before
    assert stage_dirs(dest) == []
    # the server recovers: a retry succeeds (first attempt dropped, second complete)
    handler.drop.clear()
    F.fetch(ALL, ["62", "64"], source=url, dest=dest, manifest=manifest, **FAST)
    assert snapshot(dest) != before


def test_from_dir_works_without_network(tmp_path, mirror, monkeypatch):
    def no_network(*a, **k):
        raise OSError("network disabled in this test")
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    dest = tmp_path / "data"
    res = F.fetch(ALL, ["62", "64"], source=str(mirror), dest=dest, manifest=fixture_manifest(mirror), **FAST)
    assert (dest / config.BOUNDARY_FILES["desa"]).exists()
    assert set(res.written) >= set(config.BOUNDARY_FILES.values()) | set(config.CODE_LISTS.values())


def test_villages_of_later_provinces_are_merged(tmp_path, mirror):
    dest = tmp_path / "data"
    manifest = fixture_manifest(mirror)
    F.fetch(ALL, ["64"], source=mirror, dest=dest, manifest=manifest, **FAST)
    F.fetch(["desa"], ["62"], source=mirror, dest=dest, manifest=manifest, **FAST)
    v = gpd.read_parquet(dest / config.BOUNDARY_FILES["desa"])
    assert list(v.code) == ["62.01.01.1001", "62.01.01.2002", "64.01.01.2001"]
    F.fetch(["provinsi"], ["62"], source=mirror, dest=dest, manifest=manifest, **FAST)
    assert list(U.read_layer(dest / config.BOUNDARY_FILES["provinsi"]).code) == ["62", "64"]


def test_missing_optional_indicator_files_warn(tmp_path):
    mirror = write_fixture_mirror(tmp_path / "m", with_indicators=False)
    manifest = fixture_manifest(mirror)
    manifest.update({k: FM.ManifestEntry(k, 10, "0" * 64) for k in (FM.PENDUDUK_KEY, FM.LUAS_KEY)})
    res = F.fetch(["provinsi"], ["62"], source=mirror, dest=tmp_path / "d", manifest=manifest, **FAST)
    assert any("population_area_2024" in w for w in res.warnings)
    assert not (tmp_path / "d" / "indicators").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_no_network_prints_guidance_exit_2(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    F.register(parser.add_subparsers(dest="cmd"))
    args = parser.parse_args(["fetch", "--provinces", "62", "--from", f"http://127.0.0.1:{_free_port()}",
                              "--to", str(tmp_path / "data"), "--no-progress", "--retries", "0"])
    assert args.func is F.run
    assert args.func(args) == 2
    err = capsys.readouterr().err
    for needle in ("PETA_DATA_DIR", "--from", "Kelola Data", "Tidak dapat mengunduh"):
        assert needle in err
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").iterdir())
    assert stage_dirs(tmp_path / "data") == []


def test_cli_missing_folder_source_exit_2(tmp_path, capsys):
    assert F.main(["--from", str(tmp_path / "nope"), "--to", str(tmp_path / "d"), "--no-progress"]) == 2
    assert "PETA_DATA_DIR" in capsys.readouterr().err


# --------------------------------------------------------------------------------------
# The real upstream sample (Kalimantan Tengah) reproduces ../shared/data
# --------------------------------------------------------------------------------------
@pytest.mark.skipif(not (SAMPLE / "wilayah/db/wilayah.sql").exists(), reason="needs ../shared/data/upstream")
def test_real_sample_reproduces_shared_kalteng(tmp_path):
    dest = tmp_path / "data"
    res = F.fetch(ALL, ["62"], source=str(SAMPLE), dest=dest, **FAST)  # packaged manifest
    assert any("population_area_2024" in w for w in res.warnings)  # not in the sample
    for rel in config.CODE_LISTS.values():
        got = pd.read_csv(dest / rel, dtype=str, keep_default_na=False)
        exp = pd.read_csv(SHARED / rel, dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(got, exp)
    for lvl, rel in config.BOUNDARY_FILES.items():
        got = U.read_layer(dest / rel)
        exp = U.read_layer(SHARED / rel)
        if lvl != "provinsi":
            exp = exp[exp.code.str[:2] == "62"].reset_index(drop=True)
        else:
            exp = exp[exp.code == "62"].reset_index(drop=True)
        assert list(got.columns) == list(exp.columns), lvl
        pd.testing.assert_frame_equal(got.drop(columns="geometry"), exp.drop(columns="geometry"),
                                      check_dtype=False)
        ga, ea = got.to_crs(6933).area.values, exp.to_crs(6933).area.values
        assert np.all(np.abs(ga - ea) <= 1e-3 * ea), lvl
        assert got.geometry.is_valid.all() and set(got.geom_type) == {"MultiPolygon"}
