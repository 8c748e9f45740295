"""Hazard types, rasters and multi-type exposure on Kalimantan Tengah (62).

The raster tests write their own GeoTIFF in a projected CRS (UTM 50S) with known values in
known cells over the sample Posyandu of the province, and check every Posyandu against an
independent computation (the cell found by plain arithmetic on projected coordinates, and
rasterio's own ``sample()``)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import rasterio
import rasterio.features
import shapely
from affine import Affine

from geo.hazards import types as ht
from geo.hazards.exposure import (
    HazardLayers,
    class_rank,
    class_ranks,
    classify_posyandu,
    exposed_list,
    exposed_rows,
    exposure_counts,
    exposure_wide,
)
from geo.hazards.importer import import_hazards
from geo.hazards.raster import RasterRefused, read_raster
from geo.hazards.raster_zones import display_zones, sample_ranks
from geo.hazards.zones import sample_hazard_zones, sample_index_raster
from geo.indicators.hazards import hazard_indicator_id, hazard_share_id
from geo.registry.join import join
from geo.sample import generate

UTM = "EPSG:32750"
CELL = 5000.0          # m
NODATA = -1.0


@pytest.fixture(scope="module")
def joined():
    return join(generate.generate_posyandu("62", seed=0))


@pytest.fixture(scope="module")
def grid(joined):
    """Known index values on a UTM 50S grid over the province's Posyandu; every 11th cell
    (diagonally) is nodata."""
    xy = joined.geometry.to_crs(UTM)
    x0 = np.floor(xy.x.min() / CELL) * CELL - CELL
    y0 = np.ceil(xy.y.max() / CELL) * CELL + CELL          # top edge
    w = int(np.ceil((xy.x.max() - x0) / CELL)) + 2
    h = int(np.ceil((y0 - xy.y.min()) / CELL)) + 2
    rows, cols = np.mgrid[0:h, 0:w]
    values = ((rows * 7 + cols * 13) % 100 / 99.0).astype(np.float32)
    values[(rows + cols) % 11 == 0] = NODATA
    return values, x0, y0, xy.x.to_numpy(), xy.y.to_numpy()


def _write(path, values, x0, y0, crs=UTM, nodata=NODATA, tags=None, dtype="float32"):
    h, w = values.shape
    with rasterio.open(path, "w", driver="GTiff", height=h, width=w, count=1, dtype=dtype,
                       crs=crs, transform=Affine(CELL, 0, x0, 0, -CELL, y0),
                       nodata=nodata) as dst:
        dst.write(values.astype(dtype), 1)
        if tags:
            dst.update_tags(**tags)
    return path


def _expected(values, x0, y0, px, py, breaks=ht.DEFAULT_BREAKS):
    """Class of each point by plain arithmetic (no affine inversion, no searchsorted)."""
    col = ((px - x0) // CELL).astype(int)
    row = ((y0 - py) // CELL).astype(int)
    v = values[row, col]
    out = np.where(v < breaks[0], 1, np.where(v < breaks[1], 2, 3))
    return np.where(v == NODATA, 0, out)


@pytest.fixture(scope="module")
def tif(grid, tmp_path_factory):
    values, x0, y0, _, _ = grid
    return _write(tmp_path_factory.mktemp("r") / "indeks_karhutla.tif", values, x0, y0)


def test_ten_inaRISK_types():
    assert len(ht.TYPES) == 10 and set(ht.ORDER) == set(ht.IDS)
    assert {"banjir", "tanah_longsor", "karhutla", "gempabumi", "tsunami"} <= set(ht.IDS)
    for h in ht.TYPES:
        assert h.label_id and h.label_en and len(h.ramp) == 3
        assert all(c.startswith("#") and len(c) == 7 for c in h.ramp)
    assert ht.recognise("INDEKS_BAHAYA_BANJIR_BANDANG") == "banjir_bandang"
    assert ht.recognise("Kebakaran Hutan dan Lahan") == "karhutla"
    assert ht.recognise("kebakaran_hutan_lahan") == "karhutla"
    assert ht.recognise("Gempa Bumi") == "gempabumi"
    assert ht.recognise("hujan es") is None
    assert ht.parse_breaks("0,4;0,7") == (0.4, 0.7)
    with pytest.raises(ValueError, match="dua angka naik"):
        ht.parse_breaks("0.7,0.4")


def test_raster_class_of_every_posyandu(grid, tif, joined):
    values, x0, y0, px, py = grid
    raster = read_raster(tif)
    assert raster.jenis == "karhutla" and raster.breaks == ht.DEFAULT_BREAKS
    got = sample_ranks(raster, joined.geometry.x.to_numpy(), joined.geometry.y.to_numpy())
    want = _expected(values, x0, y0, px, py)
    assert (got == want).all()
    assert {0, 1, 2, 3} <= set(np.unique(got))           # nodata and every class occur
    # rasterio's own per-point sample() agrees (on a subset: it is slow)
    with rasterio.open(tif) as src:
        sampled = np.array([v[0] for v in src.sample(list(zip(px[:300], py[:300])))])
    assert (np.where(sampled == NODATA, 0, _expected_values(sampled)) == got[:300]).all()


def _expected_values(v):
    return np.where(v < 0.333, 1, np.where(v < 0.666, 2, 3))


def test_nodata_gives_no_class(grid, tif, joined):
    values, x0, y0, px, py = grid
    classes = classify_posyandu(joined, joined.iloc[0:0].assign(jenis=[], kelas=[]),
                                [read_raster(tif)])
    col = ((px - x0) // CELL).astype(int)
    row = ((y0 - py) // CELL).astype(int)
    in_nodata = values[row, col] == NODATA
    assert in_nodata.any()
    assert classes.loc[in_nodata, "hazard_karhutla"].isna().all()
    assert classes.loc[~in_nodata, "hazard_karhutla"].notna().all()


def test_breaks_user_over_file_over_default(grid, tmp_path, joined):
    values, x0, y0, px, py = grid
    path = _write(tmp_path / "b.tif", values, x0, y0, tags={"BREAKS": "0.2,0.5"})
    from_file = read_raster(path, "karhutla")
    assert from_file.breaks == (0.2, 0.5) and "legenda berkas" in " ".join(from_file.notes)
    lon, lat = joined.geometry.x.to_numpy(), joined.geometry.y.to_numpy()
    assert (sample_ranks(from_file, lon, lat) == _expected(values, x0, y0, px, py, (0.2, 0.5))).all()
    user = read_raster(path, "karhutla", breaks=(0.1, 0.9))
    assert user.breaks == (0.1, 0.9)
    assert (sample_ranks(user, lon, lat) == _expected(values, x0, y0, px, py, (0.1, 0.9))).all()


def test_class_raster_and_refusals(grid, tmp_path):
    values, x0, y0, _, _ = grid
    classes = np.where(values == NODATA, 0, _expected_values(values)).astype(np.uint8)
    r = read_raster(_write(tmp_path / "kelas.tif", classes, x0, y0, nodata=0, dtype="uint8"),
                    "banjir")
    assert r.breaks is None and (r.ranks == classes).all()
    with pytest.raises(RasterRefused, match="tidak punya sistem koordinat"):
        read_raster(_write(tmp_path / "nocrs.tif", values, x0, y0, crs=None), "banjir")
    with pytest.raises(RasterRefused, match="terlalu besar"):
        read_raster(_write(tmp_path / "big.tif", values, x0, y0), "banjir", max_cells=100)
    with pytest.raises(RasterRefused, match="di luar Indonesia"):
        read_raster(_write(tmp_path / "far.tif", values, x0, y0, crs="EPSG:32633"), "banjir")
    bad = values * 10
    with pytest.raises(RasterRefused, match="0–1"):
        read_raster(_write(tmp_path / "bad.tif", bad, x0, y0, nodata=-10.0), "banjir")
    with pytest.raises(RasterRefused, match="jenis bahaya 'hujan es' tidak dikenal"):
        read_raster(tmp_path / "kelas.tif", "hujan es")


def test_polygon_and_raster_inputs_give_the_same_exposure(grid, tif, joined, tmp_path):
    import geopandas as gpd
    raster = read_raster(tif)
    h, w = raster.shape
    shapes = list(rasterio.features.shapes(raster.ranks, mask=raster.ranks > 0,
                                           transform=Affine(*raster.transform)))
    geoms = shapely.segmentize(np.array([shapely.geometry.shape(g) for g, _ in shapes]), 500)
    krb = gpd.GeoDataFrame({"KELAS": [int(v) for _, v in shapes]}, geometry=list(geoms), crs=UTM)
    path = tmp_path / "krb_karhutla.gpkg"
    krb.to_file(path)
    res = import_hazards(path, jenis="karhutla")
    assert res.report.ok and set(res.data["jenis"]) == {"karhutla"}
    from_polygons = class_ranks(joined, HazardLayers(res.data))
    from_raster = class_ranks(joined, HazardLayers(res.data.iloc[0:0], [raster]))
    assert from_polygons[0] == from_raster[0] == ["karhutla"]
    assert (from_polygons[1] == from_raster[1]).all()
    a = exposure_counts(joined, *from_polygons, ("kabupaten", "kecamatan"))
    b = exposure_counts(joined, *from_raster, ("kabupaten", "kecamatan"))
    pd.testing.assert_frame_equal(a, b)


@pytest.fixture(scope="module")
def sample_exposure(joined):
    layers = HazardLayers(sample_hazard_zones("62", 0), [sample_index_raster("62", 0)])
    types, ranks = class_ranks(joined, layers)
    return layers, types, ranks


def test_sample_hazards_cover_three_types_and_say_sample(sample_exposure):
    layers, types, ranks = sample_exposure
    assert types == ["banjir", "tanah_longsor", "karhutla"]
    assert layers.sample and all(r.sampel for r in layers.rasters)
    assert set(layers.sources()["bentuk"]) == {"poligon", "raster"}
    for i in range(len(types)):
        assert (ranks[:, i] > 0).any()
    assert (ranks[:, -1] == ranks[:, :-1].max(axis=1)).all()
    with rasterio.open(sample_index_raster.__globals__["sample_index_raster_path"]("62", 0)) as s:
        assert s.tags()["SAMPEL"] == "1" and "DATA SAMPEL" in s.tags()["SUMBER"]


def test_counts_add_up_per_type_and_any_hazard(joined, sample_exposure):
    _, types, ranks = sample_exposure
    counts = exposure_counts(joined, types, ranks)
    kader = pd.to_numeric(joined["jumlah_kader"]).fillna(0)
    balita = pd.to_numeric(joined["balita_sasaran"]).fillna(0)
    prov = counts.loc[counts["level"] == "provinsi"]
    for i, t in enumerate([*types, "semua"]):
        sub = prov.loc[prov["type"] == t].set_index("kelas")
        assert sub["posyandu"].sum() == len(joined)
        assert sub["kader"].sum() == kader.sum() and sub["balita_sasaran"].sum() == balita.sum()
        for r, k in enumerate(ht.KELAS, start=1):   # independently, from the ranks
            assert sub.loc[k, "posyandu"] == (ranks[:, i] == r).sum()
            assert sub.loc[k, "kader"] == kader[ranks[:, i] == r].sum()
        for level in ("kabupaten", "kecamatan", "desa"):   # each level sums to the province
            lv = counts.loc[(counts["level"] == level) & (counts["type"] == t)]
            assert (lv.groupby("kelas")["posyandu"].sum().reindex(sub.index) == sub["posyandu"]).all()
    semua = prov.loc[prov["type"] == "semua"].set_index("kelas")
    for t in types:
        one = prov.loc[prov["type"] == t].set_index("kelas")
        assert semua.loc["tinggi", "posyandu"] >= one.loc["tinggi", "posyandu"]
        assert semua.loc["tidak_ada", "posyandu"] <= one.loc["tidak_ada", "posyandu"]
    wide = exposure_wide(counts, "karhutla")
    row = wide.loc[wide["code"] == "62"].iloc[0]
    assert row["tinggi_pct"] == pytest.approx(100 * (ranks[:, 2] == 3).sum() / len(joined))


def test_indicator_registry_has_exposure(joined, sample_exposure):
    from geo.hazards.exposure import LABELS
    from geo.indicators import registry as indicators
    _, types, ranks = sample_exposure
    classes = pd.DataFrame({**{f"hazard_{t}": LABELS[ranks[:, i]] for i, t in enumerate(types)},
                            "hazard_max": LABELS[ranks[:, -1]]}, index=joined.index)
    long = indicators.aggregate(joined, ("kabupaten",), classes)
    counts = exposure_counts(joined, types, ranks, ("kabupaten",))
    for t in [*types, "semua"]:
        ind = hazard_indicator_id(t, "posyandu", "tinggi")
        assert indicators.get(ind).source == "registri"
        got = long.loc[long["indicator"] == ind].set_index("code")["value"]
        ref = counts.loc[(counts["type"] == t) & (counts["kelas"] == "tinggi")] \
            .set_index("code")["posyandu"]
        assert (got.sort_index() == ref.sort_index().astype(float)).all()
        kader = hazard_indicator_id(t, "kader", "sedang")
        got = long.loc[long["indicator"] == kader].set_index("code")["value"]
        ref = counts.loc[(counts["type"] == t) & (counts["kelas"] == "sedang")] \
            .set_index("code")["kader"]
        assert (got.sort_index() == ref.sort_index().astype(float)).all()
    share = long.loc[long["indicator"] == hazard_share_id("karhutla")]
    assert share["value"].between(0, 100).all() and share["value"].notna().all()
    # types that are not in the data get no rows
    assert not (long["indicator"] == hazard_indicator_id("tsunami")).any()


def test_exposed_list_names_classes_and_coordinates(joined, sample_exposure):
    from geo.regions.boundaries import region_names
    _, types, ranks = sample_exposure
    listing = exposed_list(joined, types, ranks, region_names())
    assert list(listing.columns[:3]) == ["id", "nama", "kode_desa"]
    assert {"desa", "kecamatan", "banjir_kelas", "karhutla_kelas", "kelas_tertinggi", "lat",
            "lon", "balita_sasaran", "jumlah_kader"} <= set(listing.columns)
    high = listing.loc[listing["karhutla_kelas"] == "tinggi"]
    assert len(high) == (ranks[:, 2] == 3).sum() > 0
    assert high["kecamatan"].notna().all() and high["desa"].notna().mean() > 0.9
    np.testing.assert_allclose(listing["lon"], joined.geometry.x.round(6))


def test_exposed_rows_worst_first_and_empty_selections(joined, sample_exposure):
    """Issue 30: a region without an exposed Posyandu gave ``-rank`` on an empty string
    column (pandas infers a string dtype for class labels, and ``map`` keeps it when there
    is no value). Every empty selection is an empty frame with the same columns."""
    from geo.regions.boundaries import region_names
    _, types, ranks = sample_exposure
    listing = exposed_list(joined, types, ranks, region_names())
    listing["kode_agregasi"] = joined["kode_agregasi"].astype(object).to_numpy()
    rows = exposed_rows(listing, ht.ALL, ht.KELAS, "62")
    assert len(rows) == int((ranks[:, -1] > 0).sum()) > 0
    assert (np.diff(class_rank(rows["kelas_tertinggi"])) <= 0).all()      # worst first
    high = exposed_rows(listing, "karhutla", ["tinggi"], "62.71")
    assert set(high["id"]) == set(listing.loc[(listing["karhutla_kelas"] == "tinggi").to_numpy()
                                              & listing["kode_agregasi"].str.startswith("62.71.")
                                              .to_numpy(), "id"])
    for empty in (exposed_rows(listing, ht.ALL, ["tinggi"], "62.99"),      # no Posyandu there
                  exposed_rows(listing, ht.ALL, [], "62"),                 # no class chosen
                  exposed_rows(listing, "tsunami", ["tinggi"], "62"),      # type without data
                  exposed_rows(listing.iloc[:0], "banjir", ht.KELAS, ""),  # empty registry
                  exposed_rows(listing.loc[listing["kelas_tertinggi"].isna()], ht.ALL,
                               ["tinggi"], "62")):                         # none exposed
        assert len(empty) == 0 and list(empty.columns) == list(listing.columns)
    # ranks whatever the labels' dtype, empty string columns included
    assert class_rank(pd.Series([], dtype="str")).dtype == np.int8
    assert class_rank(pd.Series(["tinggi", None, "rendah", "x", "sedang"], dtype="str")) \
        .tolist() == [3, 0, 1, 0, 2]


def test_empty_registry_gives_empty_counts_and_list(sample_exposure):
    layers, _, _ = sample_exposure
    none = join(generate.generate_posyandu("62", seed=0).iloc[:0])
    types, ranks = class_ranks(none, layers)
    counts = exposure_counts(none, types, ranks)
    assert len(counts) == 0 and len(exposure_wide(counts, ht.ALL)) == 0
    assert len(exposed_rows(exposed_list(none, types, ranks), ht.ALL, ht.KELAS, "62")) == 0


def test_display_zones_are_clipped_and_bounded(sample_exposure):
    from geo.regions.boundaries import boundaries
    layers, _, _ = sample_exposure
    area = boundaries("kabupaten", "62").query("code == '62.71'").geometry.iloc[0]
    zones = display_zones(layers.rasters[0], area, max_cells=2_000)
    assert len(zones) and set(zones["kelas"]) <= set(ht.KELAS)
    assert (zones["jenis"] == "karhutla").all() and zones["sampel"].all()
    assert shapely.difference(shapely.union_all(zones.geometry.values), area).area < 1e-9
