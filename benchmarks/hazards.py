"""Benchmark of hazard exposure (prints numbers; not a test).

    python -m benchmarks.hazards [--posyandu 300000] [--width 6000] [--height 5000]
                                       [--repeat 5]

1. A national-extent index raster (``--width`` × ``--height`` cells over 95–141 °E,
   11 °S–6 °N, float32 0–1 with nodata) is written to a temporary GeoTIFF and read with
   geo.hazards.raster.read_raster: reading the band once and classing every cell
   (``read_class_s``, done once per import).
2. Sampling and classing ``--posyandu`` Posyandu (the national sample registry, joined):
   ``sample_s`` = geo.hazards.exposure.class_ranks with that raster (reproject if needed, inverse
   affine, one NumPy index); ``sample_projected_s`` the same raster in a projected CRS
   (World Mercator), so every point is reprojected first. ``rasterio_sample_2000_s`` is
   rasterio's per-point ``sample()`` on 2,000 of the points (same values checked).
3. Exposure aggregation to all four levels: geo.hazards.exposure.exposure_counts for the sample
   hazards plus the raster (types × 4 classes × Posyandu/balita/kader), and the same sums
   through the indicator registry (geo.indicators.registry.aggregate with the classes).

Every timing is the fastest of ``--repeat`` runs; the last line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np


def best(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def write_raster(path: Path, width: int, height: int, crs: str = "EPSG:4326") -> Path:
    import rasterio
    from affine import Affine
    from rasterio.warp import transform_bounds
    rng = np.random.default_rng(0)
    coarse = rng.random((height // 100 + 2, width // 100 + 2)).astype(np.float32)
    values = np.kron(coarse, np.ones((100, 100), np.float32))[:height, :width]
    values[rng.random((height, width)) < 0.05] = -9999.0           # scattered nodata
    x0, y0, x1, y1 = 95.0, -11.0, 141.0, 6.0
    if crs != "EPSG:4326":
        x0, y0, x1, y1 = transform_bounds("EPSG:4326", crs, x0, y0, x1, y1)
    tr = Affine((x1 - x0) / width, 0, x0, 0, -(y1 - y0) / height, y1)
    with rasterio.open(path, "w", driver="GTiff", width=width, height=height, count=1,
                       dtype="float32", crs=crs, transform=tr, nodata=-9999.0) as dst:
        dst.write(values, 1)
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posyandu", type=int, default=300_000)
    ap.add_argument("--width", type=int, default=6000)
    ap.add_argument("--height", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    from geo import datasets
    from geo.codes import LEVELS
    from geo.hazards.exposure import LABELS, HazardLayers, class_ranks, exposure_counts
    from geo.hazards.raster import read_raster
    from geo.hazards.raster_zones import sample_ranks
    from geo.indicators import registry as indicators
    out: dict = {"posyandu": args.posyandu, "raster": f"{args.width}x{args.height}"}
    joined = datasets.joined_posyandu()
    if len(joined) > args.posyandu:
        joined = joined.iloc[:args.posyandu]
    out["posyandu"] = len(joined)
    sample, _ = datasets.hazard_layers()
    with tempfile.TemporaryDirectory() as tmp:
        tif = write_raster(Path(tmp) / "indeks_kekeringan.tif", args.width, args.height)
        out["read_class_s"], raster = best(lambda: read_raster(tif, "kekeringan"), 1)
        layer = HazardLayers(sample.zones.iloc[0:0], [raster])
        out["sample_s"], (_, ranks) = best(lambda: class_ranks(joined, layer), args.repeat)
        tif_m = write_raster(Path(tmp) / "indeks_merc.tif", args.width, args.height,
                             "EPSG:3395")
        merc = read_raster(tif_m, "kekeringan")
        out["sample_projected_s"], _ = best(
            lambda: class_ranks(joined, HazardLayers(sample.zones.iloc[0:0], [merc])),
            args.repeat)
        import rasterio
        lon, lat = joined.geometry.x.to_numpy(), joined.geometry.y.to_numpy()
        pick = np.linspace(0, len(joined) - 1, 2000).astype(int)
        t = time.perf_counter()
        with rasterio.open(tif) as src:
            vals = np.array([v[0] for v in src.sample(zip(lon[pick], lat[pick]))])
        out["rasterio_sample_2000_s"] = round(time.perf_counter() - t, 3)
        expect = np.where(vals == -9999, 0, np.searchsorted([0.333, 0.666], vals, "right") + 1)
        out["same_as_rasterio_sample"] = bool(
            (expect == sample_ranks(raster, lon[pick], lat[pick])).all())
    # all hazards: the sample zones and raster plus the benchmark raster
    layers = HazardLayers(sample.zones, [*sample.rasters, raster])
    out["classify_all_types_s"], (types, ranks) = best(lambda: class_ranks(joined, layers),
                                                       args.repeat)
    out["types"] = types
    exposure_counts(joined, types, ranks, LEVELS)          # warm the code table's groups
    out["aggregate_all_levels_s"], counts = best(
        lambda: exposure_counts(joined, types, ranks, LEVELS), args.repeat)
    out["aggregate_rows"] = len(counts)
    classes = {f"hazard_{t}": LABELS[ranks[:, i]] for i, t in enumerate(types)}
    classes["hazard_max"] = LABELS[ranks[:, -1]]
    import pandas as pd
    frame = pd.DataFrame(classes, index=joined.index)
    base_s, _ = best(lambda: indicators.aggregate(joined, LEVELS, frame["hazard_max"]),
                     max(1, args.repeat // 2))
    with_s, long = best(lambda: indicators.aggregate(joined, LEVELS, frame),
                        max(1, args.repeat // 2))
    out["registry_aggregate_without_hazard_types_s"] = base_s
    out["registry_aggregate_with_hazard_types_s"] = with_s
    out["registry_rows"] = len(long)
    for k, v in list(out.items()):
        if isinstance(v, float):
            out[k] = round(v, 3)
    for k, v in out.items():
        print(f"{k:45s} {v}")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
