"""``python -m geo import hazards`` (raster and polygons, --type, --breaks, --save) and
``python -m geo exposure`` on Kalimantan Tengah, in a temporary workspace."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine


def geo(*args, env, check=True):
    return subprocess.run([sys.executable, "-m", "geo", *args], capture_output=True, text=True,
                          check=check, env=env)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hz")
    env = {**os.environ, "PETA_WORKSPACE_DIR": str(tmp / "ws")}
    reg = tmp / "kalteng.csv"
    geo("demo", "--scope", "62", "--seed", "1", "--out", str(reg), env=env)
    # An index raster in lon/lat over the province: the west half 0.5 (sedang under the
    # default breaks), the east half 0.9 (tinggi), a nodata column in between.
    w, h = 60, 50
    values = np.full((h, w), 0.5, np.float32)
    values[:, 31:] = 0.9
    values[:, 30] = -9999
    tif = tmp / "inarisk_karhutla.tif"
    with rasterio.open(tif, "w", driver="GTiff", height=h, width=w, count=1, dtype="float32",
                       crs="EPSG:4326", transform=Affine(0.1, 0, 110.5, 0, -0.1, 1.0),
                       nodata=-9999) as dst:
        dst.write(values, 1)
    return tmp, env, reg, tif


def test_import_raster_breaks_save_then_exposure(setup):
    tmp, env, reg, tif = setup
    res = geo("import", "hazards", str(tif), "--type", "karhutla", "--breaks", "0.6,0.95",
              "--save", env=env)
    assert "diklasifikasikan: < 0.6 rendah, < 0.95 sedang" in res.stdout
    assert "Disimpan ke workspace: Raster bahaya" in res.stdout
    out = geo("exposure", "--posyandu", str(reg), "--region", "62", "--level", "kabupaten",
              "--format", "json", "--list", str(tmp / "list.csv"), env=env)
    rows = pd.DataFrame(json.loads(out.stdout))
    assert list(rows.columns) == ["code", "type", "kelas", "posyandu", "balita_sasaran", "kader"]
    assert set(rows["type"]) == {"karhutla", "semua"}          # the saved data, not the sample
    assert "DATA SAMPEL" not in out.stderr
    assert rows["code"].str.startswith("62.").all()
    listing = pd.read_csv(tmp / "list.csv", dtype=str, keep_default_na=False)
    assert list(listing.columns) == ["id", "nama", "kode_desa", "karhutla_kelas",
                                     "kelas_tertinggi"]
    registry = pd.read_csv(reg, dtype=str)
    assert len(listing) == len(registry)
    # breaks 0.6/0.95: 0.5 → rendah (west), 0.9 → sedang (east); nodata column → none
    lon = pd.to_numeric(registry.set_index("id")["lon"]).reindex(listing["id"]).to_numpy()
    col = np.floor((lon - 110.5) / 0.1)
    want = np.where(col < 30, "rendah", np.where(col > 30, "sedang", ""))
    assert (listing["karhutla_kelas"].to_numpy() == want).all()
    karhutla = rows.loc[rows["type"] == "karhutla"].groupby("kelas")["posyandu"].sum()
    assert karhutla["rendah"] == (want == "rendah").sum()
    assert karhutla["tinggi"] == 0 and karhutla.sum() == len(registry)


def test_import_polygons_type_per_file_keeps_other_types(setup, tmp_path):
    import geopandas as gpd
    from shapely.geometry import box
    tmp, env, reg, tif = setup
    krb = gpd.GeoDataFrame({"kelas": ["tinggi"]}, geometry=[box(113.0, -3.0, 114.5, -1.0)],
                           crs="EPSG:4326").to_crs("EPSG:32750")
    path = tmp_path / "krb.geojson"
    krb.to_file(path)
    res = geo("import", "hazards", str(path), "--type", "Banjir", "--save", env=env)
    assert "Disimpan ke workspace: Zona bahaya" in res.stdout
    out = geo("exposure", "--posyandu", str(reg), "--region", "62", env=env)
    rows = pd.read_csv(pd.io.common.StringIO(out.stdout), dtype={"code": str})
    assert set(rows["type"]) == {"banjir", "karhutla", "semua"}   # karhutla raster kept
    bad = geo("import", "hazards", str(path), "--type", "hujan es", env=env, check=False)
    assert bad.returncode == 1 and "jenis bahaya 'hujan es' tidak dikenal" in bad.stderr
    bad = geo("import", "hazards", str(tif), "--breaks", "0.9,0.1", env=env, check=False)
    assert bad.returncode == 2 and "dua angka naik" in bad.stderr


def test_exposure_unknown_region(setup):
    _, env, reg, _ = setup
    res = geo("exposure", "--posyandu", str(reg), "--region", "99.99", env=env, check=False)
    assert res.returncode == 2 and "Kode wilayah tidak dikenal" in res.stderr
