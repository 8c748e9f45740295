"""``python -m geo fetch``: bring the open boundaries and code lists to a fresh machine.

Downloads the upstream SQL files (pinned commits of ``cahyadsn/wilayah_boundaries`` and
``cahyadsn/wilayah``, both MIT) over HTTPS from raw GitHub, or from a mirror given by
``--from`` (an intranet URL or a local folder, laid out as ``<mirror>/<repository
name>/<path in the repository>``, e.g. ``<mirror>/wilayah_boundaries/db/prov/...``),
verifies every file against the sha256 recorded in ``upstream_manifest.csv.gz``, converts
them with :mod:`geo.fetch.upstream` into a temporary folder next to the data directory and only
then moves the finished files into place. Any failure leaves the previous data untouched.

Mirror layout for the one file pinned at another commit (Kab. Sorong correction):
``<mirror>/wilayah_boundaries@<commit>/db/kab/wilayah_boundaries_kab_96.sql``.

Exit codes of :func:`run`: 0 ok, 2 source unreachable or file missing (guidance printed),
1 any other failure (checksum mismatch, conversion error).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from geo import cache, config
from geo.codes import FILE_LEVEL
from geo.fetch.download import Downloader, _Missing, describe_source, is_url
from geo.fetch.manifest import (
    CODE_LIST_KEY,
    DEFAULT_LEVELS,
    LUAS_KEY,
    PENDUDUK_KEY,
    REPOS,
    SORONG_AREA_KM2,
    SORONG_CODE,
    SORONG_COMMIT,
    FetchError,
    Manifest,
    Plan,
    SourceUnavailable,
    guidance,
    human_size,
    load_manifest,
    make_plan,
    sorong_entry,
)

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------
# Fetch
# --------------------------------------------------------------------------------------
@dataclass
class FetchResult:
    dest: Path
    written: list[str]
    warnings: list[str]
    seconds: float


def _stage_dir(dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{dest.name}.fetch-", dir=dest.parent))


def fetch(levels: Iterable[str] = DEFAULT_LEVELS, provinces: Iterable[str] | None = None,
          source: str | None = None, dest: Path | str | None = None,
          manifest: Manifest | None = None, progress: bool = True, retries: int = 3,
          backoff: float = 1.0, timeout: float = 30.0,
          say: Callable[[str], None] = print, allow_shared: bool = False) -> FetchResult:
    """Download, verify, convert and install. See the module docstring.

    ``manifest`` defaults to the packaged one (tests pass their own). The development copy
    ``../shared/data`` is never written unless ``allow_shared``.
    """
    from geo.fetch import upstream  # heavy imports (geopandas) only when really fetching

    t0 = time.monotonic()
    manifest = load_manifest() if manifest is None else manifest
    dest = Path(dest) if dest is not None else config.data_dir()
    dest = dest.expanduser().resolve()
    if dest == config.SHARED_DATA.resolve() and not allow_shared:
        raise FetchError(f"Folder data pengembangan {dest} tidak akan ditimpa; "
                         "gunakan --to FOLDER lalu arahkan PETA_DATA_DIR ke sana.")
    plan = make_plan(list(levels), list(provinces) if provinces else None, manifest)
    if source is not None and not is_url(source) and not Path(source).is_dir():
        raise SourceUnavailable(guidance(f"Folder sumber {source} tidak ditemukan."))

    say(f"Sumber: {describe_source(source)}")
    say(f"Tujuan: {dest}")
    say(f"Mengunduh {len(plan.required) + len(plan.optional)} berkas, sekitar "
        f"{human_size(plan.total_bytes)}.")
    for p, n in plan.village_bytes.items():
        say(f"  batas desa provinsi {p}: {human_size(n)}")

    warnings: list[str] = []

    def warn(msg: str) -> None:
        warnings.append(msg)
        log.info(msg)
        say("Peringatan: " + msg)

    stage = _stage_dir(dest)
    bar = None
    try:
        try:
            from tqdm import tqdm
            bar = tqdm(total=plan.total_bytes, unit="B", unit_scale=True, unit_divisor=1024,
                       desc="Unduh", disable=not progress, file=sys.stderr)
            on_bytes = bar.update
        except ImportError:  # pragma: no cover
            on_bytes = None
        dl = Downloader(source=source, workdir=stage / "download", retries=retries,
                        backoff=backoff, timeout=timeout, progress=on_bytes)
        files: dict[str, Path] = {}
        for entry in plan.required:
            try:
                files[entry.key] = dl.get(entry)
            except _Missing as exc:
                raise SourceUnavailable(guidance(
                    f"Berkas {entry.key} tidak ditemukan di sumber ({exc}).")) from None
        for entry in plan.optional:
            try:
                files[entry.key] = dl.get(entry)
            except _Missing:
                warn(f"berkas {entry.key} tidak ada di sumber; dilewati.")
            except SourceUnavailable as exc:
                warn(f"berkas {entry.key} tidak dapat diunduh; dilewati ({exc.args[0].splitlines()[0]}).")
        if bar is not None:
            bar.close()
            bar = None

        say("Mengonversi …")
        out = stage / "out"
        written = _convert(upstream, plan, files, out, dest, warn)
        _install(out, dest, written)
        _write_info(dest, plan, source, files, manifest)
    finally:
        if bar is not None:
            bar.close()
        shutil.rmtree(stage, ignore_errors=True)
    secs = time.monotonic() - t0
    say(f"Selesai dalam {secs:.1f} detik: {len(written)} berkas di {dest}")
    return FetchResult(dest=dest, written=written, warnings=warnings, seconds=secs)


def _convert(upstream, plan: Plan, files: dict[str, Path], out: Path, dest: Path,
             warn: Callable[[str], None]) -> list[str]:
    written: list[str] = []
    provs = set(plan.provinces)
    names = upstream.read_code_list(files[CODE_LIST_KEY])
    tables = upstream.region_tables(names)
    for lvl, cli in zip(upstream.LEVELS, FILE_LEVEL):
        rel = config.CODE_LISTS[cli]
        upstream.write_csv(tables[lvl], out / rel)
        written.append(rel)

    if PENDUDUK_KEY in files and LUAS_KEY in files:
        rel = f"{config.INDICATOR_DIR}/population_area_2024.csv"
        upstream.write_csv(upstream.population_area(files[PENDUDUK_KEY], files[LUAS_KEY], names),
                           out / rel)
        written.append(rel)
    else:
        warn("wilayah_penduduk.sql/wilayah_luas.sql tidak tersedia: "
             "indicators/population_area_2024.csv tidak dibuat.")

    overrides = {}
    sorong = sorong_entry().key
    if sorong in files:
        geom = upstream.read_single_geometry(files[sorong], SORONG_CODE)
        area = upstream.geodesic_area_km2(geom) if geom is not None else 0.0
        if geom is not None and SORONG_AREA_KM2[0] <= area <= SORONG_AREA_KM2[1]:
            overrides[SORONG_CODE] = geom
            log.info("Kab. Sorong: polygon of commit %s used (%.0f km2)", SORONG_COMMIT[:7], area)
        else:
            warn(f"koreksi Kab. Sorong (96.01) dilewati: berkas versi {SORONG_COMMIT[:7]} "
                 f"tidak berisi poligon yang wajar ({area:.0f} km²).")
    elif "regency" in plan.levels and SORONG_CODE[:2] in provs:
        warn("koreksi Kab. Sorong (96.01) tidak diterapkan (berkas versi lama tidak tersedia).")

    prefixes = {"province": "wilayah_boundaries/db/prov/", "regency": "wilayah_boundaries/db/kab/",
                "district": "wilayah_boundaries/db/kec/", "village": "wilayah_boundaries/db/kel/"}
    for lvl, cli in zip(upstream.LEVELS, FILE_LEVEL):
        if lvl not in plan.levels:
            continue
        srcs = [p for k, p in sorted(files.items()) if k.startswith(prefixes[lvl])]
        gdf = upstream.read_boundaries(srcs, lvl, names, provinces=provs,
                                       overrides=overrides if lvl == "regency" else None)
        missing = provs - set(gdf["code"].str[:2])
        if missing and lvl != "village":
            raise FetchError(f"Konversi gagal: tidak ada batas {cli} untuk provinsi "
                             f"{', '.join(sorted(missing))}.")
        rel = config.BOUNDARY_FILES[cli]
        gdf = upstream.merge_layer(gdf, dest / rel, provs)
        if rel.endswith(".parquet"):
            upstream.write_parquet(gdf, out / rel)
        else:
            upstream.write_geojson(gdf, out / rel)
        written.append(rel)
    return written


def _install(out: Path, dest: Path, written: list[str]) -> None:
    """Move the converted files into ``dest`` (same file system: os.replace is atomic)."""
    for rel in written:
        if not (out / rel).is_file():
            raise FetchError(f"Konversi tidak lengkap: {rel} tidak terbentuk.")
        target_dir = (dest / rel).parent
        probe = target_dir if target_dir.exists() else dest if dest.exists() else dest.parent
        if not os.access(probe, os.W_OK):
            raise FetchError(f"Folder {probe} tidak dapat ditulisi; data lama tidak diubah.")
    for rel in written:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(out / rel, dest / rel)


def _write_info(dest: Path, plan: Plan, source: str | None, files: dict[str, Path],
                manifest: Manifest) -> None:
    info_path = dest / ".fetch.json"
    try:
        old = json.loads(info_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = {}
    village_provs = sorted(set(old.get("village_provinces", [])) |
                           (set(plan.provinces) if "village" in plan.levels else set()))
    info = {
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": describe_source(source),
        "repositories": {k: {"repository": r, "commit": c} for k, (r, c) in REPOS.items()},
        "levels": plan.levels,
        "provinces": plan.provinces,
        "village_provinces": village_provs,
        "files": {k: (manifest[k].sha256 if k in manifest else None) for k in sorted(files)},
    }
    cache.write_text_atomic(info_path, json.dumps(info, indent=1))


def has_data(root: Path | None = None) -> bool:
    """True when the data directory has at least the province code list and boundaries."""
    root = config.data_dir() if root is None else Path(root)
    return all((root / rel).is_file()
               for rel in (config.CODE_LISTS["provinsi"], config.BOUNDARY_FILES["provinsi"]))


# --------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------
HELP = "Unduh batas wilayah dan daftar kode wilayah dari sumber terbuka (GitHub cahyadsn)."


def register(subparsers) -> argparse.ArgumentParser:
    """Add the ``fetch`` sub-command to ``python -m geo``; its handler is :func:`run`."""
    p = subparsers.add_parser("fetch", help=HELP, description=HELP + " Data lama hanya "
                              "diganti setelah semua berkas terunduh, terverifikasi dan terkonversi.")
    add_arguments(p)
    p.set_defaults(func=run)
    return p


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--levels", default=None,
                   help="tingkat yang diambil, dipisah koma: provinsi,kabupaten,kecamatan,desa "
                        "(bawaan: provinsi,kabupaten,kecamatan; ditambah desa bila --provinces diisi)")
    p.add_argument("--provinces", default=None,
                   help="kode provinsi, dipisah koma, misalnya 62,64 (bawaan: semua; wajib untuk desa)")
    p.add_argument("--from", dest="source", default=None, metavar="URL_ATAU_FOLDER",
                   help="cermin lokal: URL intranet atau folder (mis. dari flashdisk) dengan isi "
                        "wilayah_boundaries/db/... dan wilayah/db/...")
    p.add_argument("--to", dest="dest", default=None, metavar="FOLDER",
                   help="folder data tujuan (bawaan: folder data aktif, lihat PETA_DATA_DIR)")
    p.add_argument("-y", "--yes", action="store_true", help="jangan bertanya sebelum mengunduh")
    p.add_argument("--no-progress", action="store_true", help="tanpa bilah kemajuan")
    p.add_argument("--retries", type=int, default=3, help=argparse.SUPPRESS)


def _split(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def run(args: argparse.Namespace) -> int:
    """Handler of ``python -m geo fetch``. Returns the process exit code."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    provinces = _split(args.provinces)
    levels = _split(args.levels) or (list(DEFAULT_LEVELS) + (["desa"] if provinces else []))
    dest = Path(args.dest) if args.dest else config.data_dir()
    if args.dest is None and dest.resolve() == config.SHARED_DATA.resolve():
        print(f"Folder data pengembangan {dest} tidak akan ditimpa. Data sudah tersedia; "
              "untuk mengambil ulang gunakan --to FOLDER (lalu arahkan PETA_DATA_DIR ke sana).",
              file=sys.stderr)
        return 1
    try:
        if "desa" in levels and provinces and sys.stdin.isatty() and not args.yes:
            plan = make_plan(levels, provinces, load_manifest())
            answer = input(f"Unduh sekitar {human_size(plan.total_bytes)}? [Y/n] ").strip().lower()
            if answer in ("n", "no", "t", "tidak"):
                print("Dibatalkan.")
                return 1
        fetch(levels=levels, provinces=provinces, source=args.source, dest=dest,
              progress=not args.no_progress, retries=args.retries)
    except FetchError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Dihentikan. Data lama tidak diubah.", file=sys.stderr)
        return 130
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.fetch.command", description=HELP)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
