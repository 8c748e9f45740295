"""``python -m geo exposure`` — Posyandu exposure to hazards per region, type and class.

    python -m geo exposure [--posyandu FILE] [--region CODE] [--level LEVEL]
                           [--format csv|json] [--list FILE]

Prints ``code,type,kelas,posyandu,balita_sasaran,kader`` for the regions of ``--level``
(default: the level below ``--region``, provinces when no region is given) under
``--region``; ``type`` is an InaRISK type id or ``semua`` (highest over all types),
``kelas`` rendah/sedang/tinggi/tidak_ada. ``--list FILE`` writes the Posyandu-level exposure
(``id,nama,kode_desa,<type>_kelas…,kelas_tertinggi``; CSV, or JSON for *.json). Hazards: the
saved ones (``python -m geo import hazards … --save``), else the SAMPLE hazards.
"""
from __future__ import annotations

import sys

from geo.codes import LEVELS, under

OUT_COLUMNS = ["code", "type", "kelas", "posyandu", "balita_sasaran", "kader"]


def register(sub) -> None:
    p = sub.add_parser("exposure", help="keterpaparan Posyandu terhadap bahaya per wilayah, "
                                        "jenis dan kelas")
    p.add_argument("--posyandu", metavar="FILE",
                   help="registri Posyandu (CSV/XLSX; default: data kerja atau sampel)")
    p.add_argument("--region", metavar="CODE", help="kode wilayah, mis. 62 atau 62.71")
    p.add_argument("--level", choices=LEVELS,
                   help="tingkat wilayah (default: satu tingkat di bawah --region)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--list", metavar="FILE", dest="list_file",
                   help="tulis daftar Posyandu dengan kelas per jenis bahaya (CSV/JSON)")
    p.set_defaults(func=run)


def run(args) -> int:
    from geo import datasets
    from geo.codes import child_level, level_of
    from geo.hazards.exposure import class_ranks, exposed_list, exposure_counts
    region = (args.region or "").strip()
    if region:
        from geo.regions.boundaries import code_list
        if region not in set(code_list(level_of(region))["code"]):
            print(f"Kode wilayah tidak dikenal: {region}", file=sys.stderr)
            return 2
    level = args.level or (child_level(level_of(region)) if region else "provinsi")
    if level is None:
        level = "desa"
    if args.posyandu:
        from geo.registry import join
        from geo.registry import validate as registry
        joined = join.join(registry.read(args.posyandu).data)
    else:
        joined = datasets.joined_posyandu()
    layers, info = datasets.hazard_layers()
    if info.sample:
        print("Catatan: zona/raster bahaya adalah DATA SAMPEL buatan, bukan data nyata.",
              file=sys.stderr)
    types, ranks = class_ranks(joined, layers)
    counts = exposure_counts(joined, types, ranks, (level,))
    if region:
        counts = counts.loc[under(counts["code"], region)]
    table = counts[OUT_COLUMNS].sort_values("code", kind="stable").reset_index(drop=True)
    if args.format == "json":
        sys.stdout.write(table.to_json(orient="records", force_ascii=False, indent=1) + "\n")
    else:
        table.to_csv(sys.stdout, index=False)
    if args.list_file:
        listing = exposed_list(joined, types, ranks)
        if region:
            where = joined["kode_agregasi"] if "kode_agregasi" in joined else joined["kode_desa"]
            listing = listing.loc[under(where, region)]
        cols = ["id", "nama", "kode_desa", *[f"{t}_kelas" for t in types], "kelas_tertinggi"]
        listing = listing[cols]
        if args.list_file.endswith(".json"):
            listing.to_json(args.list_file, orient="records", force_ascii=False, indent=1)
        else:
            from geo.importers.cells import to_csv_bytes
            with open(args.list_file, "wb") as fh:
                fh.write(to_csv_bytes(listing))
        print(f"Daftar {len(listing)} Posyandu ditulis ke {args.list_file}", file=sys.stderr)
    return 0
