"""Hostile hazard GeoTIFFs (issue 30, items 3–4): a tiny file declaring a huge float64
band, truncated and corrupted files, south-up and sheared transforms, a second band and
±inf/NaN cells. Every file is built here with rasterio; the checks are on named messages,
counts and the memory the reading code path allocates (tracemalloc sees NumPy's buffers)."""
from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine
from rasterio.windows import Window

from benchmarks.hostile_corpus import index_grid, write_raster
from geo.cli.main import main as geo_main
from geo.hazards import raster as hr
from geo.hazards.importer import import_hazards
from geo.hazards.raster import RasterRefused, read_raster
from geo.hazards.raster_zones import display_zones, sample_ranks
from tests.helpers import W

X0, Y0, CELL = 113.0, -1.0, 0.001          # over Kalimantan Tengah, lon/lat


_write = write_raster          # shared with benchmarks.hostile (benchmarks/hostile_corpus.py)
_index_grid = index_grid


# ---------------------------------------------------------------- memory: the 7 KB / 2 GB file

def test_tiny_file_declaring_a_huge_float64_band_reads_window_by_window(tmp_path):
    """4,000 × 4,000 float64 cells declared (128 MB as one array; the old whole-band
    classing traced ~200 MB here), tiled and deflated with one tile written: the file is a
    few KB.
    Reading keeps one window of cells at a time, so the NumPy memory traced stays near the
    uint8 class array (16 MB)."""
    n = 4000
    path = tmp_path / "indeks_banjir_besar.tif"
    with rasterio.open(path, "w", driver="GTiff", height=n, width=n, count=1, dtype="float64",
                       crs="EPSG:4326", transform=Affine(CELL, 0, X0, 0, -CELL, Y0),
                       nodata=-1.0, tiled=True, blockxsize=256, blockysize=256,
                       compress="deflate", sparse_ok=True) as dst:
        dst.write(np.full((256, 256), 0.5), 1, window=Window(0, 0, 256, 256))
    assert path.stat().st_size < 50_000
    tracemalloc.start()
    try:
        raster = read_raster(path)
        counts = raster.counts()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert raster.jenis == "banjir" and raster.ranks.dtype == np.uint8
    assert counts == {"tidak_ada": n * n - 256 * 256, "rendah": 0, "sedang": 256 * 256,
                      "tinggi": 0}
    # class array 16 MB + one window (2**20 cells: 8 MB of float64 and its masks)
    assert peak < 64 * 2 ** 20, f"peak {peak / 2 ** 20:.0f} MB"


def test_windows_cover_the_raster_once_in_whole_blocks():
    for h, w, bh, bw in ((4000, 4000, 256, 256), (10950, 10950, 256, 256), (3000, 7000, 1, 7000),
                         (700, 300_000, 16, 16), (5, 5, 256, 256)):
        seen = np.zeros((h, w), np.uint8) if h * w <= 25_000_000 else None
        total = 0
        for win in hr._windows(h, w, bh, bw):
            r0, c0, nr, nc = int(win.row_off), int(win.col_off), int(win.height), int(win.width)
            assert nr * nc <= max(hr.CHUNK_CELLS, bh * bw)
            assert r0 % min(bh, h) == 0 and c0 % min(bw, w) == 0
            total += nr * nc
            if seen is not None:
                seen[r0:r0 + nr, c0:c0 + nc] += 1
        assert total == h * w
        if seen is not None:
            assert (seen == 1).all()


# ---------------------------------------------------------------- cheap checks come first

def test_header_checks_come_before_any_cell_is_read(tmp_path, monkeypatch):
    def no_reading(*_a, **_k):
        raise AssertionError("cells read before the header was checked")
    monkeypatch.setattr(hr, "_read_classes", no_reading)
    path = _write(tmp_path / "tanpa_nama.tif", _index_grid(64, 64))
    with pytest.raises(RasterRefused, match="jenis bahaya 'hujan es' tidak dikenal"):
        read_raster(path, "hujan es")
    with pytest.raises(RasterRefused, match="jenis bahaya tidak diketahui"):
        read_raster(path)
    with pytest.raises(RasterRefused, match="terlalu besar"):
        read_raster(path, "banjir", max_cells=100)
    monkeypatch.setattr(hr, "MAX_BLOCK_BYTES", 1000)
    with pytest.raises(RasterRefused, match="satu blok data raster terlalu besar.*TILED=YES"):
        read_raster(path, "banjir")


def test_sheared_or_rotated_raster_is_refused_by_name(tmp_path):
    sheared = Affine(CELL, 0.0004, X0, 0.0003, -CELL, Y0)
    path = _write(tmp_path / "miring.tif", _index_grid(), sheared)
    res = import_hazards(path, jenis="banjir")
    assert not res.report.ok
    assert "raster diputar atau miring" in res.report.fatal and "gdalwarp" in res.report.fatal
    # rounding noise in a north-up transform is not a shear
    noise = Affine(CELL, 1e-15, X0, -1e-15, -CELL, Y0)
    assert read_raster(_write(tmp_path / "lurus.tif", _index_grid(), noise), "banjir").shape == (512, 512)


# ---------------------------------------------------------------- broken files

def _broken_files(tmp_path):
    ok = _write(tmp_path / "utuh.tif", _index_grid(), tiled=True, blockxsize=256,
                blockysize=256, compress="deflate")
    data = ok.read_bytes()
    truncated = tmp_path / "terpotong.tif"
    truncated.write_bytes(data[:len(data) // 3])
    with rasterio.open(ok) as src:
        offset = int(src.get_tag_item("BLOCK_OFFSET_1_1", "TIFF", bidx=1))
    corrupt = bytearray(data)
    corrupt[offset + 20:offset + 400] = np.random.default_rng(1).integers(
        0, 256, 380, dtype=np.uint8).tobytes()
    corrupted = tmp_path / "rusak.tif"
    corrupted.write_bytes(bytes(corrupt))
    header_only = tmp_path / "kepala.tif"
    header_only.write_bytes(data[:200])
    return truncated, corrupted, header_only


def test_truncated_and_corrupted_geotiffs_are_named_not_raised(tmp_path):
    for path in _broken_files(tmp_path):
        with pytest.raises(RasterRefused, match="berkas GeoTIFF rusak atau terpotong"):
            read_raster(path, "banjir")
        res = import_hazards(path, jenis="banjir")
        assert not res.report.ok and res.report.fatal.startswith(f"{path.name}: berkas GeoTIFF "
                                                                 "rusak atau terpotong")
        assert str(tmp_path) not in res.report.fatal
    not_tiff = tmp_path / "bukan.tif"
    not_tiff.write_text("ini bukan raster\n")
    res = import_hazards(not_tiff, jenis="banjir")
    assert "bukan GeoTIFF yang sah" in res.report.fatal


def test_cli_on_broken_geotiff_says_why_without_unexpected_error(tmp_path, capsys):
    truncated, corrupted, _ = _broken_files(tmp_path)
    for path in (truncated, corrupted):
        rc = geo_main(["import", "hazards", str(path), "--type", "banjir"])
        out = capsys.readouterr()
        assert rc == 1                       # the file refused, like any refused file
        assert "berkas GeoTIFF rusak atau terpotong" in out.err
        assert "Galat tak terduga" not in out.err and "Traceback" not in out.err + out.out
        assert str(tmp_path) not in out.err + out.out


# ---------------------------------------------------------------- orientation

@pytest.mark.parametrize("flip_rows,flip_cols", [(True, False), (False, True), (True, True)])
def test_flipped_rasters_count_and_draw_like_north_up(tmp_path, flip_rows, flip_cols):
    """South-up (positive y cell size) and east-to-west files: the same classes in the same
    places as the north-up file, for sampling and for drawing."""
    h, w = 200, 300
    values = np.full((h, w), 0.1, np.float32)        # rendah in the south …
    values[:100] = 0.9                               # … tinggi in the north half (row 0 = north)
    values[:, :30] = -1.0                            # a nodata strip in the west
    north_up = read_raster(_write(tmp_path / "utara.tif", values), "banjir")
    a, e = CELL, -CELL
    c, f = X0, Y0
    file_values = values
    if flip_rows:
        file_values, f, e = file_values[::-1], Y0 - CELL * h, CELL
    if flip_cols:
        file_values, c, a = file_values[:, ::-1], X0 + CELL * w, -CELL
    flipped = read_raster(_write(tmp_path / "balik.tif", np.ascontiguousarray(file_values),
                                 Affine(a, 0, c, 0, e, f)), "banjir")
    assert flipped.transform == pytest.approx(north_up.transform)
    assert (flipped.ranks == north_up.ranks).all()
    assert flipped.counts() == north_up.counts() == {"tidak_ada": 30 * h, "rendah": 100 * 270,
                                                     "sedang": 0, "tinggi": 100 * 270}
    assert any("dibalik" in n for n in flipped.notes)
    lon = np.array([X0 + 0.1, X0 + 0.1, X0 + 0.01])
    lat = np.array([Y0 - 0.05, Y0 - 0.15, Y0 - 0.05])
    assert list(sample_ranks(flipped, lon, lat)) == [3, 1, 0]
    zones = display_zones(flipped).set_index("kelas")
    assert set(zones.index) == {"rendah", "tinggi"}
    box_north = shapely.box(X0 + 0.03, Y0 - 0.1, X0 + 0.3, Y0)
    assert zones.loc["tinggi", "geometry"].area == pytest.approx(box_north.area, rel=0.02)
    assert zones.loc["tinggi", "geometry"].intersection(box_north).area == pytest.approx(
        box_north.area, rel=0.02)
    view = shapely.box(X0 + 0.1, Y0 - 0.15, X0 + 0.2, Y0 - 0.05)   # a map view inside
    in_view = display_zones(flipped, view).set_index("kelas")
    assert set(in_view.index) == {"rendah", "tinggi"}
    assert shapely.area(in_view.geometry.values).sum() == pytest.approx(view.area, rel=0.02)


# ---------------------------------------------------------------- bands and odd cells

def test_second_band_is_a_named_warning(tmp_path):
    values = np.stack([_index_grid(64, 64), np.full((64, 64), 0.9, np.float32)])
    res = import_hazards(_write(tmp_path / "dua_band.tif", values, count=2), jenis="banjir")
    assert res.report.ok
    warn = res.report.problems.loc[res.report.problems["tingkat"] == W, "pesan"].tolist()
    assert len(warn) == 1 and "raster berisi 2 band; hanya band 1 yang dipakai" in warn[0]
    assert (res.raster.ranks == read_raster(_write(tmp_path / "satu.tif", values[0]),
                                            "banjir").ranks).all()


def test_inf_and_nan_cells_are_counted_and_reported(tmp_path):
    values = np.full((50, 60), 0.5, np.float32)
    values[0, :3] = np.inf
    values[1, :2] = -np.inf
    values[2, :4] = np.nan
    values[3, :5] = -1.0                             # the declared nodata
    res = import_hazards(_write(tmp_path / "tak_hingga.tif", values), jenis="banjir")
    assert res.report.ok
    counts = res.raster.counts()
    assert counts["tidak_ada"] == 3 + 2 + 4 + 5 and counts["sedang"] == 50 * 60 - 14
    warn = res.report.problems.loc[res.report.problems["tingkat"] == W, "pesan"].tolist()
    assert any("5 sel bernilai tak hingga (+inf 3, -inf 2)" in m for m in warn)
    assert any("4 sel bernilai NaN" in m for m in warn)
    assert res.report.counts["peringatan"] == 2
    # NaN as the declared nodata is ordinary nodata: no NaN warning
    values[values == -1.0] = np.nan
    nan_nodata = read_raster(_write(tmp_path / "nan.tif", values, nodata=float("nan")), "banjir")
    assert nan_nodata.counts()["tidak_ada"] == 14
    assert not any("NaN" in m for m in nan_nodata.warnings)
    assert any("tak hingga" in m for m in nan_nodata.warnings)


def test_float_class_raster_and_index_raster_read_in_one_pass(tmp_path):
    """A float band of whole numbers 0–3 is a class raster, 0–1 fractions an index raster,
    whatever the window layout (the class decision needs every window)."""
    rng = np.random.default_rng(3)
    classes = rng.integers(0, 4, (300, 300)).astype(np.float64)
    r = read_raster(_write(tmp_path / "kelas.tif", classes, tiled=True, blockxsize=16,
                           blockysize=16), "banjir")
    assert r.breaks is None and (r.ranks == classes.astype(np.uint8)).all()
    idx = _index_grid(300, 300)
    r = read_raster(_write(tmp_path / "indeks.tif", idx, tiled=True, blockxsize=16,
                           blockysize=16), "banjir")
    want = np.where(idx < 0.333, 1, np.where(idx < 0.666, 2, 3))
    assert r.breaks is not None and (r.ranks == want).all()
    mixed = classes.copy()
    mixed[-1, -1] = 2.5                               # one fraction in the last window
    with pytest.raises(RasterRefused, match="0–1; ditemukan 0–3"):
        read_raster(_write(tmp_path / "campur.tif", mixed, tiled=True, blockxsize=16,
                           blockysize=16), "banjir")
