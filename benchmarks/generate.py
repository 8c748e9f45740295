"""Benchmark of the sample generators: prints wall time and peak memory (not a test).

    python -m benchmarks.generate [--scope nasional] [--seed 0] [--repeat 3]

Measured in this process: loading the boundaries (from the cache), then
geo.sample.generate.generate_posyandu and geo.hazards.zones.generate_hazard_zones. Peak memory is the
process's maximum resident set size (ru_maxrss), i.e. including the boundaries;
``generate_posyandu_traced_peak_mb`` is the peak of Python/numpy allocations during one
generation (tracemalloc; GEOS memory is not traced).
"""
from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scope", default="nasional")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from geo.hazards import zones as hazards
    from geo.regions import boundaries as regions
    from geo.sample import generate, output
    out: dict = {"scope": args.scope, "seed": args.seed, "rss_start_mb": round(_rss_mb(), 1)}
    t = time.perf_counter()
    provinces = None if args.scope == "nasional" else [args.scope]
    regions.boundaries("desa", provinces)
    regions.boundaries("kecamatan", provinces)
    regions.code_list("desa")
    out["load_boundaries_s"] = round(time.perf_counter() - t, 2)
    out["rss_after_load_mb"] = round(_rss_mb(), 1)
    runs = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        gdf = generate.generate_posyandu(args.scope, args.seed)
        runs.append(round(time.perf_counter() - t, 2))
    out["generate_posyandu_s"] = runs
    import tracemalloc
    tracemalloc.start()
    generate.generate_posyandu(args.scope, args.seed)
    out["generate_posyandu_traced_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    tracemalloc.stop()
    out["posyandu"] = len(gdf)
    out["rss_peak_mb"] = round(_rss_mb(), 1)
    t = time.perf_counter()
    zones = hazards.generate_hazard_zones(args.scope, args.seed)
    out["generate_hazard_zones_s"] = round(time.perf_counter() - t, 2)
    out["zones"] = len(zones)
    t = time.perf_counter()
    classes = hazards.classify_posyandu(gdf, zones)
    out["classify_posyandu_s"] = round(time.perf_counter() - t, 3)
    out["posyandu_in_a_zone"] = int(classes["hazard_max"].notna().sum())
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        for ext in ("csv", "parquet"):
            t = time.perf_counter()
            output.write_registry(gdf, Path(tmp) / f"r.{ext}")
            out[f"write_{ext}_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    generate.sample_posyandu(args.scope, args.seed)          # may generate + write the cache
    t1 = time.perf_counter()
    generate.sample_posyandu(args.scope, args.seed)          # from the cache
    out["sample_posyandu_first_s"] = round(t1 - t, 2)
    out["sample_posyandu_cached_s"] = round(time.perf_counter() - t1, 2)
    out["rss_final_mb"] = round(_rss_mb(), 1)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
