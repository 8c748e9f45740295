"""The registry commands of ``python -m geo``: demo, validate, join, indicators, rank."""
from __future__ import annotations

import json
import sys

import pandas as pd

from geo.codes import LEVELS


def _write_table(df: pd.DataFrame, fmt: str, out: str | None = None) -> None:
    if fmt == "json":
        text = df.to_json(orient="records", force_ascii=False, indent=1)
    else:
        text = df.to_csv(index=False)
    if out:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def cmd_demo(args) -> int:
    from geo.sample.output import demo_main
    summary = demo_main(args.scope, args.seed, args.out)
    print(json.dumps(summary, ensure_ascii=False, indent=1, default=str))
    return 0


def _read_registry(path: str, sheet: str | None = None):
    """A registry file through the one import pipeline (geo.importers.posyandu: the same
    reader, rules and report as ``python -m geo import posyandu`` and Kelola Data)."""
    from geo.importers.posyandu import import_posyandu
    return import_posyandu(path, sheet=sheet)


def cmd_validate(args) -> int:
    result = _read_registry(args.file, getattr(args, "sheet", None))
    rep = result.report
    report = {
        "berkas": args.file,
        "baris_dibaca": rep.total,
        "baris_diterima": rep.accepted,
        "baris_diperbaiki": rep.repaired,
        "baris_ditolak": rep.rejected,
        "gagal": rep.fatal,
        "keterangan": rep.notes,
        "masalah": rep.problems.to_dict(orient="records"),
    }
    print(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    return 0 if rep.ok else 1


def cmd_join(args) -> int:
    from geo.registry import join
    joined = join.join(read_registry(args.posyandu))
    table = pd.DataFrame(joined.drop(columns="geometry"))
    if args.out:
        if args.out.endswith((".geojson", ".parquet")):
            out = joined.drop(columns=[c for c in ("baris",) if c in joined])
            out.to_parquet(args.out) if args.out.endswith(".parquet") else out.to_file(args.out)
        else:
            table.to_csv(args.out, index=False)
    else:
        table.to_csv(sys.stdout, index=False)
    print(json.dumps(join.summary(joined), ensure_ascii=False), file=sys.stderr)
    return 0 if len(joined) else 1


def read_registry(path: str):
    """A registry file as offices keep it (any header names, no coordinates or ids, codes
    without dots…) through the importer; its summary and findings go to stderr. Raises
    ValueError when nothing can be imported."""
    from geo.importers.posyandu import import_posyandu
    res = import_posyandu(path)
    print(res.report.summary(), file=sys.stderr)
    for note in res.report.notes:
        print("  " + note, file=sys.stderr)
    for rec in res.report.problems.to_dict(orient="records"):
        print(f"baris {rec['baris']}, kolom {rec['kolom']}: {rec['pesan']} [{rec['tingkat']}]",
              file=sys.stderr)
    if res.report.fatal:
        raise ValueError(res.report.fatal)
    return res.data


def _joined_for(args):
    from geo import datasets
    if getattr(args, "posyandu", None):
        from geo.registry import join
        joined = join.join(read_registry(args.posyandu))
        return joined, datasets.hazard_classes(joined)
    return datasets.joined_posyandu(), datasets.hazard_classes()


def cmd_indicators(args) -> int:
    from geo import datasets
    from geo.indicators import registry as indicators
    joined, hazard = _joined_for(args)
    long = datasets.long_table(joined, (args.level,), hazard, args.min_denominator)
    table = indicators.table(long, args.level, parent=args.parent)
    if args.indicator:
        table = table.loc[table["indicator"] == args.indicator]
    _write_table(table, args.format, args.out)
    return 0


def cmd_rank(args) -> int:
    from geo import datasets
    from geo.indicators import registry as indicators
    from geo.regions import boundaries as regions
    from geo.stats import rankrange
    from geo.views import ranked
    ind = indicators.get(args.indicator)
    if ind.source == "registri":
        joined, hazard = _joined_for(args)
        long = datasets.long_table(joined, (args.level,), hazard)
    else:
        long = datasets.long_table()
    periods = set(long.loc[long["indicator"] == args.indicator, "period"])
    for p in filter(None, (args.survey, args.compare)):
        if p not in periods:
            print(f"Survei/periode '{p}' tidak ada untuk indikator {args.indicator}. "
                  f"Pilihan: {', '.join(sorted(periods))}", file=sys.stderr)
            return 2
    code_list = regions.code_list(args.level)
    if args.parent:
        code_list = code_list.loc[code_list["code"].str.startswith(args.parent + ".")]
    names = code_list.set_index("code")["name"]
    view = ranked.from_long(long, args.indicator, args.level, args.survey, args.compare,
                            parent=args.parent, names=names, universe=code_list["code"])
    table = view.table
    table = rankrange.with_uncertainty(table, long, args.indicator, args.level, args.survey,
                                       args.parent)
    _write_table(table, args.format, args.out)
    return 0


def register(sub) -> None:
    """Add demo, validate, join, indicators and rank to ``python -m geo``."""
    p = sub.add_parser("demo", help="buat registri Posyandu SAMPEL (bukan data nyata)")
    p.add_argument("--scope", default="nasional", help="'nasional' atau kode provinsi, mis. 62")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True, help="berkas keluaran: .csv, .xlsx, .geojson, .parquet")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("validate", help="periksa berkas registri Posyandu, laporan JSON "
                                        "(aturan yang sama dengan 'import posyandu')")
    p.add_argument("file")
    p.add_argument("--sheet", help="nama lembar XLSX (bawaan: lembar pertama)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("join", help="tempatkan Posyandu di desa/kecamatan (gabung spasial)")
    p.add_argument("--posyandu", required=True, help="registri Posyandu (CSV/XLSX)")
    p.add_argument("--out", help="berkas keluaran (.csv, .geojson, .parquet); default stdout CSV")
    p.set_defaults(func=cmd_join)

    p = sub.add_parser("indicators", help="semua indikator untuk satu tingkat wilayah")
    p.add_argument("--level", required=True, choices=LEVELS)
    p.add_argument("--parent", help="kode wilayah induk, mis. 62 atau 62.71")
    p.add_argument("--indicator", help="hanya satu indikator")
    p.add_argument("--posyandu", help="registri Posyandu (default: data kerja atau sampel)")
    p.add_argument("--min-denominator", type=float, default=20.0,
                   help="penyebut di bawah nilai ini ditandai tidak stabil (default 20)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out")
    p.set_defaults(func=cmd_indicators)

    p = sub.add_parser("rank", help="peringkat wilayah (1 = terburuk) untuk satu survei")
    p.add_argument("--indicator", required=True)
    p.add_argument("--level", required=True, choices=LEVELS)
    p.add_argument("--survey", required=True, help='mis. "SSGI 2022" atau "Registri"')
    p.add_argument("--compare", help='survei pembanding, mis. "SSGI 2021"')
    p.add_argument("--parent", help="kode wilayah induk")
    p.add_argument("--posyandu", help="registri Posyandu untuk indikator registri")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out")
    p.set_defaults(func=cmd_rank)
