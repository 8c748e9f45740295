"""Benchmark of site planning (geo.connectivity.plan): prints numbers, asserts nothing.

    python -m benchmarks.siteplan [--repeat 3] [--time-limit 60] [--skip-exact]

1. Kalimantan Tengah sample: every Posyandu of the province (2,573) as demand × its 1,571
   villages as candidates, radius 5 km, k = 20 — the greedy alone (what a slider move costs
   once the coverage sets are cached), and coverage sets + greedy; also the 593 Posyandu
   without internet.
2. National sample: every Posyandu without internet × all 83,402 villages, k = 500,
   radius 10 km, including building the coverage sets (BallTree, haversine).
3. Quality: greedy vs exact HiGHS (greedy start, time limit) on Kalimantan Tengah-size
   instances; prints both coverages, the ratio, HiGHS status and proven gap.

Targets of issue 12: (1) greedy ≤ 0.5 s, (2) ≤ 10 s, (3) greedy ≥ 97 % of exact.
Times are the fastest of ``--repeat`` runs (the machine is shared; one run varies).
"""
from __future__ import annotations

import argparse
import json
import time


def best_of(repeat: int, fn):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--skip-exact", action="store_true")
    args = ap.parse_args()

    import sklearn.neighbors  # noqa: F401  (import time is not planning time)

    from geo import datasets
    from geo.connectivity import offline as connectivity
    from geo.connectivity import plan as siteplan
    joined = datasets.joined_posyandu()
    kalteng = connectivity.in_region(joined, "62")
    all62 = kalteng[["id", "lon", "lat", "balita_sasaran"]].reset_index(drop=True)
    off62 = connectivity.demand_from(connectivity.offline_posyandu(joined, "62"))
    vill62 = connectivity.village_candidates("62")
    result: dict = {}

    print("1. Kalimantan Tengah (greedy, k=20, radius 5 km)")
    for name, demand in (("all", all62), ("offline", off62)):
        build_s, problem = best_of(args.repeat, lambda: siteplan.build_problem(
            demand, vill62, 5000.0))
        greedy_s, (order, added) = best_of(args.repeat, lambda: siteplan.greedy(problem, 20))
        print(f"   {name:8s} demand {len(demand):6,d}  candidates {len(vill62):6,d}  "
              f"coverage sets {build_s:6.3f} s  greedy {greedy_s:6.4f} s  "
              f"covered {sum(added):,.0f} ({sum(added) / len(demand):.1%})")
        result[f"kalteng_{name}"] = {"demand": len(demand), "candidates": len(vill62),
                                     "build_s": round(build_s, 4), "greedy_s": round(greedy_s, 4)}

    print("2. National (k=500, radius 10 km, incl. coverage sets)")
    off = connectivity.demand_from(connectivity.offline_posyandu(joined, None))
    vill = connectivity.village_candidates(None)
    total_s, plan = best_of(args.repeat, lambda: siteplan.plan_sites(off, vill, 500, 10.0))
    s = plan.summary
    print(f"   demand {len(off):,d}  candidates {len(vill):,d}  total {total_s:.2f} s "
          f"(coverage sets {s['build_seconds']:.2f} s)  covered {s['covered']:,.0f} "
          f"({s['share']:.1%})  useful candidates {s['useful_candidates']:,d}  "
          f"demand groups {s['demand_groups']:,d}")
    result["national"] = {"demand": len(off), "candidates": len(vill), "k": 500,
                          "total_s": round(total_s, 3), "build_s": s["build_seconds"],
                          "share": s["share"]}

    if not args.skip_exact:
        print(f"3. Greedy vs exact HiGHS (time limit {args.time_limit:.0f} s)")
        ratios = []
        for name, demand in (("all", all62), ("offline", off62)):
            for radius in (5.0, 10.0):
                problem = siteplan.build_problem(demand, vill62, radius * 1000)
                for k in (10, 20, 50):
                    t0 = time.perf_counter()
                    order, added = siteplan.greedy(problem, k)
                    g_s = time.perf_counter() - t0
                    ex = siteplan.exact(problem, k, args.time_limit, start=order)
                    g = float(sum(added))
                    ratio = g / ex.objective if ex.objective else 1.0
                    ratios.append(ratio)
                    gap = "–" if ex.gap is None else f"{ex.gap:.3%}"
                    print(f"   {name:8s} r={radius:4.1f} km k={k:3d}  greedy {g:7,.0f} "
                          f"({g_s:.3f} s)  exact {ex.objective:7,.0f} ({ex.seconds:6.2f} s, "
                          f"{ex.status}, gap {gap})  greedy/exact {ratio:.2%}")
        result["quality_min_ratio"] = round(min(ratios), 4)
        print(f"   lowest greedy/exact: {min(ratios):.2%}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
