"""``python -m geo import …`` — the command line of the importers (same code as the
Kelola Data page).

    python -m geo import posyandu FILE --report report.csv [--out accepted.csv] [--save]
    python -m geo import boundaries FILE --level kabupaten [--parent 62] [--out out.geojson]
    python -m geo import indicators FILE [--indikator NAMA] [--level L] [--out out.csv]
    python -m geo import hazards FILE --type TYPE [--breaks 0.333,0.666] [--save]
                                      [--out out.geojson|out.tif]

Exit status: 0 when at least one row was imported, 1 when nothing could be imported or
the save was refused (a conflict, rows outside the editor's region), 2 when the disk (or
the database) could not store it — full, no permission, read-only: the message says so and
that the previous version stays in use — or the report/output file could not be written.
geo/cli/main.py calls ``register(subparsers)``; ``main(argv)`` runs it standalone
(``python -m geo.importers.cli import posyandu …``).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.codes import LEVELS


def _common(p: argparse.ArgumentParser, out_help: str) -> None:
    p.add_argument("file", metavar="FILE", help="berkas yang diimpor")
    p.add_argument("--report", metavar="R", help="tulis laporan (CSV: baris, kolom, nilai, "
                                                 "pesan, tingkat)")
    p.add_argument("--out", metavar="O", help=out_help)
    p.add_argument("--save", action="store_true",
                   help="simpan hasil ke workspace (dipakai aplikasi sebagai data aktif)")
    p.add_argument("--name", help="nama dataset di workspace (bawaan: nama berkas)")
    p.add_argument("--user", help="editor yang menyimpan (basis data; atau PETA_USER; kata "
                                  "sandi dari PETA_PASSWORD atau --password-file)")
    p.add_argument("--password-file", help="berkas berisi kata sandi editor (baris pertama)")
    p.add_argument("--base", metavar="VERSI",
                   help="versi yang menjadi dasar impor ini (bawaan: versi saat perintah mulai)"
                        "; simpan ditolak bila data sudah diubah sejak itu")


def register(subparsers) -> argparse.ArgumentParser:
    """Add the ``import`` command (with its four kinds) to a subparsers object."""
    imp = subparsers.add_parser("import", help="impor data pengguna (Posyandu, batas, "
                                               "indikator, zona bahaya)")
    kinds = imp.add_subparsers(dest="import_kind", metavar="JENIS", required=True)

    p = kinds.add_parser("posyandu", help="registri Posyandu (CSV/XLSX)")
    _common(p, "tulis baris yang diterima (CSV, lat/lon desimal, kode_desa bertitik)")
    p.add_argument("--map", action="append", default=[], metavar="'JUDUL=field'",
                   help="pemetaan kolom manual, mis. --map 'Titik Y=lat' (field kosong = abaikan)")
    p.add_argument("--sheet", help="nama lembar XLSX (bawaan: lembar pertama)")
    p.add_argument("--apply-suggestions", action="store_true",
                   help="terapkan saran kode desa dari nama desa")
    p.add_argument("--parent", metavar="CODE",
                   help="kode wilayah induk untuk mencocokkan nama desa (mis. 62.71)")
    p.set_defaults(import_handler=_posyandu)

    p = kinds.add_parser("boundaries", help="batas wilayah (GeoJSON, Shapefile zip, GPKG, KML)")
    _common(p, "tulis GeoJSON EPSG:4326 (code, name, level, parent_code)")
    p.add_argument("--level", required=True, choices=LEVELS)
    p.add_argument("--parent", metavar="CODE", help="kode wilayah induk (mis. 62 atau 62.71)")
    p.add_argument("--crs", help="CRS bila berkas tidak punya .prj (mis. EPSG:32750)")
    p.add_argument("--layer", help="nama lapisan (GeoPackage/KML/zip berisi beberapa data)")
    p.add_argument("--code-field", help="nama kolom kode")
    p.add_argument("--name-field", help="nama kolom nama")
    p.set_defaults(import_handler=_boundaries)

    p = kinds.add_parser("indicators", help="tabel indikator (CSV/XLSX)")
    _common(p, "tulis baris yang diterima (CSV)")
    p.add_argument("--indikator", help="nama indikator bila tabel tidak punya kolom indikator")
    p.add_argument("--level", choices=LEVELS, help="tingkat wilayah untuk mencocokkan nama")
    p.add_argument("--parent", metavar="CODE", help="kode wilayah induk untuk mencocokkan nama")
    p.add_argument("--map", action="append", default=[], metavar="'JUDUL=field'")
    p.add_argument("--sheet")
    p.set_defaults(import_handler=_indicators)

    p = kinds.add_parser("aggregates", help="tabel jumlah per kecamatan/desa (Posyandu, kader)")
    _common(p, "tulis nilai yang diterima (CSV, bentuk panjang)")
    p.add_argument("--level", choices=LEVELS, help="tingkat wilayah untuk mencocokkan nama")
    p.add_argument("--parent", metavar="CODE", help="kode wilayah induk untuk mencocokkan nama")
    p.add_argument("--sheet")
    p.set_defaults(import_handler=_aggregates)

    p = kinds.add_parser("hazards", help="bahaya (InaRISK/BPBD): raster GeoTIFF indeks/kelas "
                                         "atau zona poligon (GeoJSON, zip, GPKG, KML)")
    _common(p, "tulis hasil: GeoJSON EPSG:4326 (zona) atau GeoTIFF kelas (raster)")
    from geo.hazards import types as hazard_types
    p.add_argument("--type", "--jenis", dest="jenis", metavar="TYPE",
                   help="jenis bahaya seluruh berkas: " + ", ".join(hazard_types.ORDER)
                        + " (bila tidak diberikan: dari kolom jenis atau nama berkas)")
    p.add_argument("--breaks", metavar="A,B",
                   help="ambang kelas indeks 0–1 (rendah < A ≤ sedang < B ≤ tinggi); bawaan "
                        "InaRISK 0.333,0.666, kecuali legenda berkas (tag BREAKS) berkata lain")
    p.add_argument("--crs")
    p.add_argument("--layer")
    p.set_defaults(import_handler=_hazards)
    imp.set_defaults(func=run)
    return imp


def _mapping(items: list[str]) -> dict[str, str | None] | None:
    out = {}
    for item in items:
        if "=" not in item:
            raise SystemExit(f"--map harus berbentuk 'Judul Kolom=field', bukan {item!r}")
        label, fld = item.rsplit("=", 1)
        out[label.strip()] = fld.strip() or None
    return out or None


def _finish(args, report, data, kind: str, write_out, saver=None) -> int:
    report, data = _scoped(args, kind, report, data)
    print(report.summary())
    for note in report.notes:
        print("  " + note)
    if report.fatal:
        print(f"GAGAL: {report.fatal}", file=sys.stderr)
    from geo.messages import write_failed
    if args.report:
        try:
            report.to_csv(args.report)
        except OSError as exc:
            print(f"GAGAL: {write_failed(exc, Path(args.report).name)}", file=sys.stderr)
            return 2
        print(f"Laporan ditulis ke {args.report}")
    if args.out and report.ok:
        try:
            write_out(Path(args.out))
        except OSError as exc:
            print(f"GAGAL: {write_failed(exc, Path(args.out).name)}", file=sys.stderr)
            return 2
        print(f"Hasil ditulis ke {args.out}")
    if args.save and report.ok:
        from geo.cache import sha256_file
        from geo.store import StorageError, WorkspaceError, get_store
        save = saver or (lambda **kw: get_store().save(kind, data, report=report, **kw))
        try:
            v = save(name=args.name or Path(args.file).name, source=Path(args.file).name,
                     base_version=getattr(args, "base_for_save", None),
                     user=getattr(args, "save_user", None),
                     source_sha256=sha256_file(Path(args.file)))
        except StorageError as exc:
            print(f"GAGAL menyimpan: {exc}", file=sys.stderr)
            return 2
        except WorkspaceError as exc:
            print(f"GAGAL menyimpan: {exc}", file=sys.stderr)
            return 1
        print(f"Disimpan ke workspace: {v.label()} [versi {v.version}]")
    return 0 if report.ok else 1


def _scoped(args, kind: str, report, data):
    """With a database store, rows outside the editor's region are refused (named in the
    report) before the report is printed."""
    user = getattr(args, "save_user", None)
    if not args.save or user is None or user.whole:
        return report, data
    from geo.store.scope import apply_scope
    data, report = apply_scope(kind, data, report, list(user.scope))
    return report, data


def _write_csv(df):
    from geo.cache import write_bytes_atomic
    from geo.importers.cells import to_csv_bytes
    return lambda path: write_bytes_atomic(path, to_csv_bytes(df))


def _posyandu(args) -> int:
    from geo.importers.posyandu import accepted_table, apply_suggestions, import_posyandu
    from geo.importers.progress import tqdm_progress
    progress = tqdm_progress()
    try:
        res = import_posyandu(args.file, mapping=_mapping(args.map), sheet=args.sheet,
                              parent=args.parent, progress=progress)
    finally:
        progress.close()
    if len(res.suggestions) and not args.apply_suggestions:
        print(f"Saran kode desa dari nama desa (belum diterapkan; --apply-suggestions untuk "
              f"menerapkan): {len(res.suggestions)} baris")
        for rec in res.suggestions.to_dict("records"):
            print(f"  baris {rec['baris']}: {rec['kode_desa'] or '(kosong)'} → "
                  f"{rec['saran_kode']} {rec['saran_nama']} (kecocokan {rec['skor']:.0f}%)")
    if args.apply_suggestions:
        res = apply_suggestions(res)
    if res.needs_mapping:
        print("Kolom yang tersedia: " + ", ".join(repr(c.label) for c in res.header.columns),
              file=sys.stderr)
    return _finish(args, res.report, res.data, "posyandu", _write_csv(accepted_table(res)))


def _geojson(gdf):
    from geo.importers.boundaries import to_geojson
    return lambda path: to_geojson(gdf, path)


def _boundaries(args) -> int:
    from geo.importers.boundaries import import_boundaries
    res = import_boundaries(args.file, args.level, parent=args.parent, crs=args.crs,
                            layer=args.layer, code_field=args.code_field,
                            name_field=args.name_field)
    return _finish(args, res.report, res.data, f"batas_{args.level}", _geojson(res.data))


def _indicators(args) -> int:
    from geo.importers.indicators import import_indicators
    res = import_indicators(args.file, indicator=args.indikator, level=args.level,
                            parent=args.parent, mapping=_mapping(args.map), sheet=args.sheet)
    return _finish(args, res.report, res.data, "indikator", _write_csv(res.data))


def _aggregates(args) -> int:
    from geo.importers.aggregates import import_aggregates
    res = import_aggregates(args.file, level=args.level, parent=args.parent, sheet=args.sheet)
    return _finish(args, res.report, res.data, "agregat", _write_csv(res.data))


def _hazards(args) -> int:
    from geo.hazards import types as hazard_types
    from geo.hazards.importer import import_hazards
    from geo.hazards.store import save_import
    try:
        breaks = hazard_types.parse_breaks(args.breaks) if args.breaks else None
    except ValueError as exc:
        print(f"GAGAL: {exc}", file=sys.stderr)
        return 2
    res = import_hazards(args.file, jenis=args.jenis, crs=args.crs, layer=args.layer,
                         breaks=breaks)
    if res.raster is not None:
        from geo.hazards.raster import write_class_raster
        write_out = lambda path: write_class_raster(res.raster, path)  # noqa: E731
    else:
        write_out = _geojson(res.data)
    return _finish(args, res.report, res.data, "bahaya", write_out,
                   saver=lambda **kw: save_import(res, **kw))


SAVE_KIND = {"posyandu": "posyandu", "indicators": "indikator", "hazards": "bahaya"}


def run(args) -> int:
    """Handler of the ``import`` command. With ``--save`` and a database store the editor
    logs in first, and the version the import is based on is taken now (or ``--base``)."""
    if args.save:
        from geo.store import WorkspaceError, get_store
        store = get_store()
        kind = SAVE_KIND.get(args.import_kind) or f"batas_{args.level}"
        try:
            if store.requires_login:
                from geo.store.cli import login
                args.save_user = login(args)
            args.base_for_save = (args.base if args.base is not None
                                  else store.base_version(kind, getattr(args, "save_user", None))
                                  if store.requires_login else None)
        except WorkspaceError as exc:
            print(f"GAGAL: {exc}", file=sys.stderr)
            return 2
    return args.import_handler(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
