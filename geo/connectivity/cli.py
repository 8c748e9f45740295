"""``python -m geo plan-sites`` and ``python -m geo tanpa-internet`` (site planning and the
list of Posyandu without internet)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from geo.connectivity.offline import export_bytes


def _write(df: pd.DataFrame, out: str, sheet: str = "data") -> None:
    from geo.cache import write_bytes_atomic
    suffix = Path(out).suffix.lower()
    write_bytes_atomic(Path(out), export_bytes(df, suffix, sheet))


def _joined(args):
    from geo import datasets
    if getattr(args, "posyandu", None):
        from geo.registry import join
        from geo.registry import validate as registry
        result = registry.read(args.posyandu)
        for rec in result.problems.to_dict(orient="records"):
            print(f"baris {rec['baris']}, kolom {rec['kolom']}: {rec['pesan']} "
                  f"[{rec['tingkat']}]", file=sys.stderr)
        return join.join(result.data)
    return datasets.joined_posyandu()


def _sites(path: str, what: str, prefix: str) -> pd.DataFrame:
    from geo.connectivity.sites import import_sites, sites_problems_text
    res = import_sites(path, prefix=prefix)
    for line in sites_problems_text(res.report, limit=1000):
        print(f"{what}: {line}", file=sys.stderr)
    if res.report.fatal:
        raise ValueError(f"berkas {what} {path}: {res.report.fatal}")
    if not len(res.data):
        raise ValueError(f"berkas {what} {path}: tidak ada baris yang dapat dipakai")
    print(f"{what}: {res.report.summary()}", file=sys.stderr)
    return res.data


def cmd_offline(args) -> int:
    from geo.connectivity.offline import offline_posyandu
    table = offline_posyandu(_joined(args), args.region or None)
    if args.out:
        _write(table, args.out, "tanpa_internet")
    else:
        table.to_csv(sys.stdout, index=False)
    print(json.dumps({"region": args.region or "", "posyandu_tanpa_internet": int(len(table))},
                     ensure_ascii=False))
    return 0


def cmd_plan_sites(args) -> int:
    from geo.connectivity import plan as siteplan
    from geo.connectivity.offline import demand_from, offline_posyandu, village_candidates
    if args.k < 1:
        raise ValueError("--k harus minimal 1")
    if not args.radius_km > 0:
        raise ValueError("--radius-km harus lebih dari 0")
    region = args.region or None
    demand = demand_from(offline_posyandu(_joined(args), region))
    if args.candidates:
        candidates = _sites(args.candidates, "kandidat", "K")
    else:
        candidates = village_candidates(region)
    existing = _sites(args.existing, "situs yang ada", "E") if args.existing else None
    plan = siteplan.plan_sites(demand, candidates, args.k, args.radius_km, weight=args.weight,
                               existing=existing, method="exact" if args.exact else "greedy",
                               time_limit=args.time_limit)
    _write(plan.sites[siteplan.SITE_COLUMNS], args.out, "situs")
    if args.covered:
        cols = [c for c in ("id", "nama", "kode_desa", "lon", "lat", "balita_sasaran",
                            "site_id", "site_rank", "distance_m") if c in plan.covered]
        _write(plan.covered[cols], args.covered, "posyandu")
    summary = {key: plan.summary.get(key) for key in
               ("demand", "candidates", "k", "radius_km", "covered", "share", "seconds",
                "method", "gap")}
    summary.update({key: plan.summary[key] for key in
                    ("status", "weight", "covered_posyandu", "sites", "existing_sites",
                     "existing_covered", "unreachable") if key in plan.summary})
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def register(sub) -> None:
    p = sub.add_parser("tanpa-internet", help="daftar Posyandu tanpa internet di satu wilayah")
    p.add_argument("--region", help="kode wilayah, mis. 62 (default: seluruh Indonesia)")
    p.add_argument("--posyandu", help="registri Posyandu (default: data kerja atau sampel)")
    p.add_argument("--out", help="berkas .csv, .xlsx atau .geojson (default: CSV ke stdout)")
    p.set_defaults(func=cmd_offline)

    p = sub.add_parser(
        "plan-sites", help="pilih k lokasi situs konektivitas yang menjangkau Posyandu tanpa "
                           "internet terbanyak (maximal covering)")
    p.add_argument("--region", help="kode wilayah, mis. 62 (default: seluruh Indonesia)")
    p.add_argument("--posyandu", help="registri Posyandu (default: data kerja atau sampel)")
    p.add_argument("--k", type=int, required=True, help="jumlah situs baru")
    p.add_argument("--radius-km", type=float, required=True, help="radius jangkauan (km)")
    p.add_argument("--weight", choices=("posyandu", "balita"), default="posyandu",
                   help="bobot: jumlah Posyandu atau balita sasaran")
    p.add_argument("--candidates", help="titik calon situs (CSV/XLSX/GeoJSON); default satu "
                                        "titik per desa")
    p.add_argument("--existing", help="situs yang sudah ada/didanai (CSV/XLSX/GeoJSON); "
                                      "jangkauannya dihitung lebih dulu")
    p.add_argument("--exact", action="store_true",
                   help="selesaikan tepat dengan HiGHS (mulai dari hasil greedy)")
    p.add_argument("--time-limit", type=float, default=60.0,
                   help="batas waktu HiGHS dalam detik (default 60)")
    p.add_argument("--out", required=True, help="situs terpilih: .csv, .xlsx atau .geojson")
    p.add_argument("--covered", help="setiap Posyandu dengan situs yang menjangkaunya")
    p.set_defaults(func=cmd_plan_sites)
