"""Datasets imported by users (Kelola Data), kept in the workspace folder across restarts.

Layout (``geo.config.workspace_dir()``, env ``PETA_WORKSPACE_DIR``)::

    <kind>/<version>/data.parquet     GeoParquet (plain Parquet for "indikator")
    <kind>/<version>/manifest.json    name, source, imported_at, rows, counts, …
    <kind>/<version>/report.csv       the import report (optional)
    <kind>/current.json               {"version": "<version>"} — the dataset in use

Kinds: ``posyandu``, ``batas_provinsi``, ``batas_kabupaten``, ``batas_kecamatan``,
``batas_desa``, ``indikator``, ``bahaya``, ``bahaya_raster`` (data.parquet lists the
rasters; the GeoTIFFs are stored next to it, given to ``save`` as ``files``).

A save writes a complete version into a hidden temporary folder, renames it into place
(atomic), then switches ``current.json`` (written to a temporary file and renamed): a
reader sees either the old or the new dataset, never half of one. Previous versions are
kept (the ``keep`` newest, never the current one removed) and ``restore`` switches back.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .cache import write_text_atomic
from .config import workspace_dir

KINDS = ("posyandu", "batas_provinsi", "batas_kabupaten", "batas_kecamatan", "batas_desa",
         "indikator", "agregat", "bahaya", "bahaya_raster")
KIND_LABELS = {
    "posyandu": "Registri Posyandu", "batas_provinsi": "Batas provinsi",
    "batas_kabupaten": "Batas kabupaten/kota", "batas_kecamatan": "Batas kecamatan",
    "batas_desa": "Batas desa/kelurahan", "indikator": "Tabel indikator",
    "agregat": "Tabel agregat per wilayah",
    "bahaya": "Zona bahaya",
    "bahaya_raster": "Raster bahaya",
}
KEEP = 5
_VERSION_RE = re.compile(r"^\d{8}T\d{6}\d{6}Z-[0-9a-f]{6}$")


class WorkspaceError(Exception):
    """User-facing (Indonesian) workspace problem."""


@dataclass(frozen=True)
class Version:
    kind: str
    version: str
    path: Path
    manifest: dict

    @property
    def name(self) -> str:
        return self.manifest.get("name", "")

    @property
    def source(self) -> str:
        return self.manifest.get("source", "")

    @property
    def imported_at(self) -> str:
        return self.manifest.get("imported_at", "")

    @property
    def rows(self) -> int:
        return int(self.manifest.get("rows", 0))

    def load(self) -> gpd.GeoDataFrame | pd.DataFrame:
        path = self.path / "data.parquet"
        if self.manifest.get("geo", True):
            return gpd.read_parquet(path)
        return pd.read_parquet(path)

    @property
    def data_path(self) -> Path:
        return self.path / "data.parquet"

    def __iter__(self):
        """``data, meta = current(kind)``: the data and the manifest (with ``path``, the
        data file) — the form geo.datasets unpacks."""
        yield self.load()
        yield {**self.manifest, "path": str(self.data_path)}

    def label(self) -> str:
        """'Registri Posyandu: registri.xlsx (22-11-2026 10:44, 812 baris)'."""
        when = self.imported_at
        try:
            when = datetime.fromisoformat(when).astimezone().strftime("%d-%m-%Y %H:%M")
        except ValueError:
            pass
        return f"{KIND_LABELS.get(self.kind, self.kind)}: {self.name} ({when}, {self.rows} baris)"


def _kind_dir(kind: str) -> Path:
    if kind not in KINDS:
        raise WorkspaceError(f"jenis data tidak dikenal: {kind!r} (pilih {', '.join(KINDS)})")
    return workspace_dir() / kind


def _read_version(kind: str, path: Path) -> Version | None:
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (path / "data.parquet").exists():
        return None
    return Version(kind, path.name, path, manifest)


def list_versions(kind: str) -> list[Version]:
    """All complete versions, newest first."""
    root = _kind_dir(kind)
    if not root.exists():
        return []
    out = [v for p in root.iterdir() if p.is_dir() and _VERSION_RE.match(p.name)
           if (v := _read_version(kind, p)) is not None]
    return sorted(out, key=lambda v: v.version, reverse=True)


def current(kind: str) -> Version | None:
    """The version in use, or None when nothing was imported (the app uses its samples)."""
    root = _kind_dir(kind)
    try:
        pointer = json.loads((root / "current.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = str(pointer.get("version", ""))
    if not _VERSION_RE.match(name):
        return None
    return _read_version(kind, root / name)


def load(kind: str) -> gpd.GeoDataFrame | pd.DataFrame | None:
    """Data of the current version, or None."""
    v = current(kind)
    return v.load() if v else None


def _set_current(kind: str, version: str) -> None:
    write_text_atomic(_kind_dir(kind) / "current.json",
                      json.dumps({"version": version}, ensure_ascii=False))


def save(kind: str, data: gpd.GeoDataFrame | pd.DataFrame, *, name: str, source: str = "",
         report=None, extra: dict | None = None, keep: int = KEEP,
         files: dict[str, Path] | None = None) -> Version:
    """Store ``data`` as the new current version of ``kind``; returns it.

    ``files`` (name → path) are copied into the version folder next to the data.

    ``report`` is an ImportReport (its counts go into the manifest, its CSV next to it).
    """
    root = _kind_dir(kind)
    root.mkdir(parents=True, exist_ok=True)
    now = datetime.now(timezone.utc)
    version = f"{now:%Y%m%dT%H%M%S%f}Z-{uuid.uuid4().hex[:6]}"
    is_geo = isinstance(data, gpd.GeoDataFrame)
    manifest = {
        "kind": kind, "version": version, "name": str(name), "source": str(source),
        "imported_at": now.astimezone().isoformat(timespec="seconds"),
        "rows": int(len(data)), "geo": is_geo, "format": "geoparquet" if is_geo else "parquet",
        "columns": [str(c) for c in data.columns],
        "crs": data.crs.to_string() if is_geo and data.crs is not None else None,
        "counts": dict(report.counts) if report is not None else None,
        **(extra or {}),
    }
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{version}-", dir=root))
    try:
        frame = data.copy()
        frame.to_parquet(tmp / "data.parquet", index=False, compression="zstd")
        for fname, src in (files or {}).items():
            shutil.copyfile(src, tmp / Path(fname).name)
        if report is not None:
            (tmp / "report.csv").write_bytes(report.to_csv().encode("utf-8-sig"))
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                           encoding="utf-8")
        for p in tmp.iterdir():
            with open(p, "rb") as fh:
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o755)
        os.rename(tmp, root / version)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _set_current(kind, version)
    _prune(kind, keep)
    return Version(kind, version, root / version, manifest)


def restore(kind: str, version: str | None = None) -> Version:
    """Make an earlier version current again: ``version``, or the one before the current."""
    versions = list_versions(kind)
    if not versions:
        raise WorkspaceError("belum ada data yang diimpor untuk jenis ini")
    if version is None:
        cur = current(kind)
        names = [v.version for v in versions]
        if cur is None or cur.version not in names:
            raise WorkspaceError("versi yang sedang dipakai tidak ditemukan")
        pos = names.index(cur.version)
        if pos + 1 >= len(names):
            raise WorkspaceError("tidak ada versi sebelumnya yang dapat dipulihkan")
        target = versions[pos + 1]
    else:
        match = [v for v in versions if v.version == version]
        if not match:
            raise WorkspaceError(f"versi {version} tidak ditemukan")
        target = match[0]
    _set_current(kind, target.version)
    return target


def discard(kind: str) -> None:
    """Stop using imported data of ``kind`` (the app falls back to its samples); the
    versions stay on disk and can be restored."""
    (_kind_dir(kind) / "current.json").unlink(missing_ok=True)


def _prune(kind: str, keep: int) -> None:
    cur = current(kind)
    for v in list_versions(kind)[max(keep, 2):]:
        if cur is None or v.version != cur.version:
            shutil.rmtree(v.path, ignore_errors=True)
    root = _kind_dir(kind)
    now = datetime.now().timestamp()
    for p in root.glob(".tmp-*"):      # leftovers of interrupted saves (not a running one)
        try:
            if now - p.stat().st_mtime > 3600:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass
