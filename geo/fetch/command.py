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
import csv
import gzip
import hashlib
import http.client
import io
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from geo import cache, config
from geo.codes import FILE_LEVEL

log = logging.getLogger(__name__)

RAW_BASE = "https://raw.githubusercontent.com"
REPOS = {  # folder name in a mirror -> (GitHub repository, pinned commit)
    "wilayah_boundaries": ("cahyadsn/wilayah_boundaries", "3c5a7960f4d227a38489094d84252bdbb3f978a5"),
    "wilayah": ("cahyadsn/wilayah", "b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7"),
}
MANIFEST_PATH = Path(__file__).with_name("upstream_manifest.csv.gz")

CODE_LIST_KEY = "wilayah/db/wilayah.sql"
PENDUDUK_KEY = "wilayah/db/wilayah_penduduk.sql"
LUAS_KEY = "wilayah/db/wilayah_luas.sql"

# Kab. Sorong (96.01): the polygon of the previous version (commit ce42628, 2025-07-07,
# 8,196 km2) is used instead of the enlarged 2026 one (see ../shared/data/README.md §1).
# Its sha256 is not known to this project (the upstream manifest covers the pinned commit
# only), so the file is checked by content instead: it must hold a 96.01 row whose polygon
# is 7,000-9,500 km2; otherwise the correction is skipped with a warning.
SORONG_CODE = "96.01"
SORONG_COMMIT = "ce42628af5956ec539f0d5e88ffdde168ed75307"
SORONG_AREA_KM2 = (7000.0, 9500.0)

# Which db/prov/wilayah_boundaries_prov_<n>.sql holds which province.
PROV_FILE_OF = {p: n for n, provs in {
    1: "11 12 13 14 15", 2: "16 17 18 19 21", 3: "31 32 33 34 35", 4: "36 51 52 53 61",
    5: "62 63 64 65 71", 6: "72 73 74 75 76", 7: "81 82 91 92", 8: "93 94 95 96",
}.items() for p in provs.split()}

DEFAULT_LEVELS = ("provinsi", "kabupaten", "kecamatan")


# --------------------------------------------------------------------------------------
# Errors (messages are user-facing, in Indonesian)
# --------------------------------------------------------------------------------------
class FetchError(Exception):
    exit_code = 1


class SourceUnavailable(FetchError):
    """The source (internet, intranet mirror, folder) cannot be reached or lacks a file."""
    exit_code = 2


class ChecksumError(FetchError):
    """A file does not match the size/sha256 recorded in the manifest."""


def guidance(reason: str) -> str:
    return f"{reason}\n\n" + config.NO_DATA_GUIDANCE.format(where="pengambilan data gagal")


# --------------------------------------------------------------------------------------
# Manifest
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ManifestEntry:
    """One upstream file. ``key`` = ``<repo folder>[@<commit>]/<path>`` (its place in a mirror)."""
    key: str
    bytes: int | None
    sha256: str | None

    @property
    def repo_dir(self) -> str:
        return self.key.split("/", 1)[0].split("@", 1)[0]

    @property
    def commit(self) -> str:
        head = self.key.split("/", 1)[0]
        return head.split("@", 1)[1] if "@" in head else REPOS[self.repo_dir][1]

    @property
    def path(self) -> str:
        return self.key.split("/", 1)[1]


Manifest = dict  # key -> ManifestEntry


def load_manifest(path: Path | str = MANIFEST_PATH) -> Manifest:
    """Read a manifest (csv or csv.gz with columns key,bytes,sha256)."""
    path = Path(path)
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    out = {}
    for r in csv.DictReader(io.StringIO(raw.decode("utf-8"))):
        out[r["key"]] = ManifestEntry(r["key"], int(r["bytes"]) if r["bytes"] else None,
                                      r["sha256"] or None)
    return out


def manifest_for_dir(root: Path | str) -> Manifest:
    """A manifest of every file under a mirror folder (for tests and for building mirrors)."""
    root = Path(root)
    out = {}
    for p in sorted(root.rglob("*.sql")):
        key = p.relative_to(root).as_posix()
        out[key] = ManifestEntry(key, p.stat().st_size, cache.sha256_file(p))
    return out


# --------------------------------------------------------------------------------------
# Plan: which files for which levels and provinces
# --------------------------------------------------------------------------------------
@dataclass
class Plan:
    levels: list[str]                     # internal names: province, regency, district, village
    provinces: list[str]                  # province codes covered by the boundary layers
    required: list[ManifestEntry] = field(default_factory=list)
    optional: list[ManifestEntry] = field(default_factory=list)
    village_bytes: dict[str, int] = field(default_factory=dict)

    @property
    def total_bytes(self) -> int:
        return sum(e.bytes or 0 for e in self.required + self.optional)


def _kab_provinces(manifest: Manifest) -> list[str]:
    pre = "wilayah_boundaries/db/kab/wilayah_boundaries_kab_"
    return sorted(k[len(pre):-4] for k in manifest if k.startswith(pre) and k.endswith(".sql"))


def make_plan(levels: Iterable[str], provinces: Iterable[str] | None, manifest: Manifest) -> Plan:
    levels = [FILE_LEVEL.get(lvl, lvl) for lvl in levels]
    unknown = [lvl for lvl in levels if lvl not in FILE_LEVEL.values()]
    if unknown:
        raise FetchError(f"Tingkat wilayah tidak dikenal: {', '.join(unknown)} "
                         f"(pilihan: {', '.join(FILE_LEVEL)}).")
    known = _kab_provinces(manifest)
    if provinces:
        provinces = sorted({p.strip() for p in provinces if p.strip()})
        bad = [p for p in provinces if p not in known]
        if bad:
            raise FetchError(f"Kode provinsi tidak dikenal: {', '.join(bad)} "
                             f"(contoh: 62 = Kalimantan Tengah).")
    elif "village" in levels:
        total = sum(e.bytes or 0 for k, e in manifest.items() if "/db/kel/" in k)
        raise FetchError("Batas desa besar (nasional sekitar " + human_size(total) + "); "
                         "pilih provinsi dengan --provinces, misalnya --provinces 62.")
    else:
        provinces = known
    plan = Plan(levels=levels, provinces=list(provinces))

    def need(key: str, optional: bool = False) -> None:
        if key not in manifest:
            if optional:
                return
            raise FetchError(f"Berkas {key} tidak ada di manifest.")
        (plan.optional if optional else plan.required).append(manifest[key])

    need(CODE_LIST_KEY)
    if "province" in levels:
        prov_files = sorted(k for k in manifest if k.startswith("wilayah_boundaries/db/prov/"))
        wanted = {f"wilayah_boundaries/db/prov/wilayah_boundaries_prov_{PROV_FILE_OF[p]}.sql"
                  for p in provinces if p in PROV_FILE_OF}
        chosen = [k for k in prov_files if k in wanted]
        if len(wanted) < len(provinces) or len(chosen) < len(wanted):
            chosen = prov_files  # unknown province file layout: take them all
        for k in chosen:
            need(k)
    for lvl, folder in (("regency", "kab"), ("district", "kec")):
        if lvl in levels:
            for p in provinces:
                need(f"wilayah_boundaries/db/{folder}/wilayah_boundaries_{folder}_{p}.sql")
    if "village" in levels:
        for p in provinces:
            keys = sorted(k for k in manifest if k.startswith(f"wilayah_boundaries/db/kel/{p}/"))
            if not keys:
                raise FetchError(f"Tidak ada berkas batas desa untuk provinsi {p} di manifest.")
            for k in keys:
                need(k)
            plan.village_bytes[p] = sum(manifest[k].bytes or 0 for k in keys)
    need(PENDUDUK_KEY, optional=True)
    need(LUAS_KEY, optional=True)
    if "regency" in levels and SORONG_CODE[:2] in provinces:
        plan.optional.append(sorong_entry())
    return plan


def sorong_entry() -> ManifestEntry:
    return ManifestEntry(f"wilayah_boundaries@{SORONG_COMMIT}/db/kab/wilayah_boundaries_kab_96.sql",
                         None, None)


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            s = f"{n:.1f}" if unit != "B" else str(int(n))
            return s.replace(".", ",") + " " + unit
        n /= 1024
    return str(n)


# --------------------------------------------------------------------------------------
# Sources and downloads
# --------------------------------------------------------------------------------------
class _Missing(Exception):
    """The source answered but does not have the file (HTTP 404/410, no such file)."""


def is_url(source: str | None) -> bool:
    return source is None or urllib.parse.urlparse(str(source)).scheme in ("http", "https", "file")


def url_for(entry: ManifestEntry, source: str | None) -> str:
    if source is None:
        repo = REPOS[entry.repo_dir][0]
        return f"{RAW_BASE}/{repo}/{entry.commit}/{urllib.parse.quote(entry.path)}"
    return str(source).rstrip("/") + "/" + urllib.parse.quote(entry.key)


def describe_source(source: str | None) -> str:
    return "GitHub (raw.githubusercontent.com)" if source is None else str(source)


@dataclass
class Downloader:
    source: str | None = None             # None = GitHub; an http(s) URL; or a folder
    workdir: Path | None = None           # where downloads are written (URL sources)
    retries: int = 3
    backoff: float = 1.0                  # seconds, doubled after each failed attempt
    timeout: float = 30.0
    progress: Callable[[int], None] | None = None

    def get(self, entry: ManifestEntry) -> Path:
        """A verified local copy of ``entry``. Raises _Missing, SourceUnavailable, ChecksumError."""
        if not is_url(self.source):
            path = Path(self.source) / entry.key
            if not path.is_file():
                raise _Missing(str(path))
            self._verify(entry, path, feed=True)
            return path
        target = self.workdir / entry.key
        target.parent.mkdir(parents=True, exist_ok=True)
        url = url_for(entry, self.source)
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            self._received = 0
            try:
                self._download(url, target)
                self._verify(entry, target, feed=False)
                return target
            except ChecksumError as exc:
                last = exc
            except urllib.error.HTTPError as exc:
                if exc.code in (404, 410):
                    raise _Missing(url) from exc
                last = exc
            except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
                last = exc
            if self.progress and self._received:
                self.progress(-self._received)  # the bytes will be counted again
            log.info("gagal mengunduh %s (percobaan %d): %s", url, attempt + 1, last)
        if isinstance(last, ChecksumError):
            raise last
        host = urllib.parse.urlparse(url).netloc or url
        raise SourceUnavailable(guidance(
            f"Tidak dapat mengunduh {url} setelah {self.retries + 1} kali percobaan ({last}).\n"
            f"Periksa sambungan internet atau alamat cermin ({host})."))

    _received = 0  # bytes of the current attempt (not a dataclass field)

    def _download(self, url: str, target: Path) -> int:
        req = urllib.request.Request(url, headers={"User-Agent": "peta-posyandu-fetch/1"})
        received = 0
        with urllib.request.urlopen(req, timeout=self.timeout) as resp, open(target, "wb") as out:
            length = resp.headers.get("Content-Length")
            while True:
                chunk = resp.read(1 << 16)
                if not chunk:
                    break
                out.write(chunk)
                received += len(chunk)
                self._received = received
                if self.progress:
                    self.progress(len(chunk))
            if length is not None and received != int(length):
                raise http.client.IncompleteRead(b"", int(length) - received)
        return received

    def _verify(self, entry: ManifestEntry, path: Path, feed: bool) -> None:
        size = path.stat().st_size
        if entry.bytes is not None and size != entry.bytes:
            raise ChecksumError(f"Berkas {entry.key} rusak atau tidak lengkap: {size} byte, "
                                f"seharusnya {entry.bytes} byte. Data lama tidak diubah.")
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
                if feed and self.progress:
                    self.progress(len(chunk))
        if entry.sha256 is not None and h.hexdigest() != entry.sha256:
            raise ChecksumError(f"Checksum sha256 berkas {entry.key} tidak cocok "
                                f"({h.hexdigest()[:12]}…, seharusnya {entry.sha256[:12]}…). "
                                "Berkas rusak atau diubah; data lama tidak diubah.")


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
