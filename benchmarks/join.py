"""`python -m benchmarks.join [--posyandu 300000] [--seed 0] [--repeat 1]`: timings of the
join and the aggregation on a national registry.

Prints one block of timings per polygon layer (national kecamatan, then national villages
when present); its last line is one JSON object for the finest layer with

    posyandu, polygons, layer, load_s, index_s, join_s, aggregate_s, total_s, floor_s, peak_mb

``load_s`` is reading the files (boundaries and registry), ``index_s`` building the spatial
index (STRtree + prepared polygons), ``total_s = join_s + aggregate_s`` and ``floor_s`` a
bounding-box-only STRtree query of the same points against the same polygons — the lower
bound of any join. The index is built once per layer, as the dashboard keeps it, and every
run queries it again. With ``--repeat N`` every run is printed; the summary is the fastest run
held against the fastest floor of all runs.
"""
from __future__ import annotations

import json
import resource
import time

import numpy as np
import shapely

from geo.indicators import registry as indicators
from geo.regions import boundaries as regions
from geo.registry import join, join_index


def _points(n: int, seed: int):
    """n Posyandu from the national sample registry (resampled with jitter if n is larger)."""
    from geo.sample.generate import sample_posyandu
    base = sample_posyandu("nasional", seed)
    if n <= len(base):
        return base.iloc[:n].copy()
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(base), n)
    out = base.iloc[idx].reset_index(drop=True)
    out["id"] = [f"BENCH-{i:07d}" for i in range(n)]
    return out


def run_layer(name: str, index: join_index.JoinIndex, posyandu, load_s: float, index_s: float,
              pts: np.ndarray) -> dict:
    """One timed run: the floor query, the join and the aggregation on a built index."""
    t = time.perf_counter()
    index.tree.query(pts)
    floor_s = time.perf_counter() - t
    t = time.perf_counter()
    joined = join.join(posyandu, index)
    join_s = time.perf_counter() - t
    t = time.perf_counter()
    long = indicators.aggregate(joined)
    aggregate_s = time.perf_counter() - t
    result = {
        "posyandu": int(len(posyandu)), "polygons": int(index.size), "layer": name,
        "load_s": round(load_s, 3), "index_s": round(index_s, 3), "join_s": round(join_s, 3),
        "aggregate_s": round(aggregate_s, 3),
        "total_s": round(round(join_s, 3) + round(aggregate_s, 3), 3),
        "floor_s": round(floor_s, 3),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rows": int(len(long)), "outside": int(joined["di_luar"].sum()),
        "mismatch": int((joined["status_lokasi"] == "kode_berbeda").sum()),
    }
    return result


def main(n: int = 300_000, seed: int = 0, repeat: int = 1) -> list[dict]:
    t = time.perf_counter()
    posyandu = _points(n, seed)
    registry_s = time.perf_counter() - t
    results = []
    layers = [("kecamatan", lambda: regions.boundaries("kecamatan"))]
    if regions.has_level("desa"):
        layers.append(("desa+kecamatan", regions.analysis_layer))
    for name, loader in layers:
        t = time.perf_counter()
        layer = loader()
        load_s = time.perf_counter() - t + registry_s
        t = time.perf_counter()
        index = join_index.build_index(layer)
        index_s = time.perf_counter() - t
        pts = shapely.points(posyandu["lon"].to_numpy(float), posyandu["lat"].to_numpy(float))
        runs = [run_layer(name, index, posyandu, load_s, index_s, pts)
                for _ in range(max(1, repeat))]
        for k, res in enumerate(runs, 1):
            print(f"[{name}] ulangan {k}: join {res['join_s']} s, aggregate "
                  f"{res['aggregate_s']} s, total {res['total_s']} s, floor {res['floor_s']} s",
                  flush=True)
        # The fastest run, held against the fastest floor seen (the stricter ratio).
        best = dict(min(runs, key=lambda r: r["total_s"]))
        best["floor_s"] = min(r["floor_s"] for r in runs)
        print(f"[{name}] {best['polygons']} poligon, {best['posyandu']} Posyandu: "
              f"load {best['load_s']} s, index {best['index_s']} s, join {best['join_s']} s, "
              f"aggregate {best['aggregate_s']} s, total {best['total_s']} s, "
              f"floor {best['floor_s']} s (total/floor = "
              f"{best['total_s'] / max(best['floor_s'], 1e-9):.2f}), "
              f"di luar poligon {best['outside']}, kode berbeda {best['mismatch']}", flush=True)
        results.append(best)
    print(json.dumps(results[-1]))
    return results


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(prog="python -m benchmarks.join",
                                 description="ukur waktu gabung spasial dan agregasi")
    ap.add_argument("--posyandu", type=int, default=300_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=1, help="ulangi dan laporkan yang tercepat")
    a = ap.parse_args()
    main(a.posyandu, a.seed, a.repeat)
