"""What ``geo fetch`` downloads: the pinned upstream repositories, the manifest of their files
(size, sha256), the plan of files for the levels and provinces asked, and the errors with
guidance in Bahasa Indonesia.
"""
from __future__ import annotations

import csv
import gzip
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
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
