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

Concurrent editors: a save (and a restore or discard) may carry ``base_version``, the
version its user saw (``current_version(kind)`` when the page was read; ``NO_VERSION``
when nothing was in use). If the current version is no longer that one, another save
happened in between: the save is refused with ``WorkspaceConflict`` naming that save, and
the user reviews it and retries. ``base_version=None`` skips the check (an explicit
overwrite, e.g. ``python -m geo import … --save``). The check and the switch of
``current.json`` run under an exclusive lock (``<kind>/.lock``, fcntl), so two saves
cannot both pass it. A store on another backend (PostgreSQL) keeps the same signature.

A save, restore or removal that fails on the disk (full, no permission, read-only)
switches nothing and raises StorageError, a WorkspaceError that names the cause and says
that the previous version stays in use (geo.messages; no server path).

Interrupted saves: the temporary folder is named ``.tmp-<version>-<pid>-…``; a later save
removes those whose process is gone (a killed save) at once, and any older than an hour.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.cache import write_text_atomic
from geo.config import DataDirError, workspace_dir
from geo.importers.schemas import SchemaError, enforce
from geo.messages import save_failed

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


NO_VERSION = ""      # base_version of a user who saw nothing imported for the kind


class WorkspaceError(Exception):
    """User-facing (Indonesian) workspace problem."""


class StorageError(WorkspaceError):
    """A change failed on the disk (full, no permission, read-only): nothing was switched,
    the previous version stays in use. ``errno`` of the cause."""

    def __init__(self, cause: OSError | str):
        self.errno = cause.errno if isinstance(cause, OSError) else None
        super().__init__(save_failed(cause) if isinstance(cause, OSError) else str(cause))


@contextlib.contextmanager
def storage_errors():
    """OSError of the disk → StorageError (a named message without server paths)."""
    try:
        yield
    except DataDirError:
        raise
    except OSError as exc:
        raise StorageError(exc) from exc


class SchemaRefused(WorkspaceError):
    """A frame that breaks the schema of its kind (geo.importers.schemas): not saved."""


def check_schema(kind: str, data) -> None:
    """Refuse ``data`` (SchemaRefused, the broken rules named in Indonesian) unless it
    fits the schema of ``kind``; called by every save before anything is written."""
    try:
        enforce(kind, data)
    except SchemaError as exc:
        raise SchemaRefused(str(exc)) from None


class WorkspaceConflict(WorkspaceError):
    """The data changed since the user read it: ``current`` is the version saved in
    between (None when it was discarded), ``base_version`` what the user saw."""

    def __init__(self, kind: str, base_version: str, current: Version | None):
        self.kind, self.base_version, self.current = kind, base_version, current
        what = KIND_LABELS.get(kind, kind)
        if current is None:
            msg = (f"{what} diubah oleh pengguna lain sejak Anda membukanya (data impor tidak "
                   "lagi dipakai). Tidak ada yang disimpan. Tinjau keadaan terbaru, lalu simpan "
                   "ulang bila tetap perlu.")
        else:
            msg = (f"{what} telah disimpan oleh pengguna lain sejak Anda membukanya: "
                   f"{current.label()} [versi {current.version}]. Tidak ada yang disimpan. "
                   "Tinjau data tersebut, lalu simpan ulang bila data Anda tetap harus dipakai.")
        super().__init__(msg)


class ManifestFields:
    """What a saved version tells of itself, read from its ``manifest`` (shared by this
    store's Version and the database store's DbVersion)."""
    kind: str
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

    def label(self) -> str:
        """'Registri Posyandu: registri.xlsx (22-11-2026 10:44, 812 baris[, oleh budi])'
        (who saved it: the database store records it)."""
        when = self.imported_at
        try:
            when = datetime.fromisoformat(when).astimezone().strftime("%d-%m-%Y %H:%M")
        except ValueError:
            pass
        by = self.manifest.get("created_by")
        who = f", oleh {by}" if by else ""
        return f"{KIND_LABELS.get(self.kind, self.kind)}: {self.name} ({when}, {self.rows} baris{who})"


@dataclass(frozen=True)
class Version(ManifestFields):
    kind: str
    version: str
    path: Path
    manifest: dict

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


def current_version(kind: str) -> str:
    """The id of the version in use (``NO_VERSION`` when none): what a page remembers as
    the ``base_version`` of a later save."""
    v = current(kind)
    return v.version if v else NO_VERSION


@contextlib.contextmanager
def _locked(kind: str):
    """Exclusive lock of one kind (across processes) for check-then-switch."""
    import fcntl
    root = _kind_dir(kind)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _check_base(kind: str, base_version: str | None) -> None:
    if base_version is None:
        return
    cur = current(kind)
    if (cur.version if cur else NO_VERSION) != base_version:
        raise WorkspaceConflict(kind, base_version, cur)


def load(kind: str) -> gpd.GeoDataFrame | pd.DataFrame | None:
    """Data of the current version, or None."""
    v = current(kind)
    return v.load() if v else None


def _set_current(kind: str, version: str) -> None:
    write_text_atomic(_kind_dir(kind) / "current.json",
                      json.dumps({"version": version}, ensure_ascii=False))


def save(kind: str, data: gpd.GeoDataFrame | pd.DataFrame, *, name: str, source: str = "",
         report=None, extra: dict | None = None, keep: int = KEEP,
         files: dict[str, Path] | None = None, base_version: str | None = None) -> Version:
    """Store ``data`` as the new current version of ``kind``; returns it.

    ``files`` (name → path) are copied into the version folder next to the data.

    ``report`` is an ImportReport (its counts go into the manifest, its CSV next to it).
    ``base_version``: the version the user saw (see the module docstring); when another
    save happened since, nothing is switched and WorkspaceConflict is raised.
    """
    _kind_dir(kind)                     # an unknown kind is named first
    check_schema(kind, data)
    with storage_errors():
        return _save(kind, data, name=name, source=source, report=report, extra=extra,
                     keep=keep, files=files, base_version=base_version)


def _save(kind, data, *, name, source, report, extra, keep, files, base_version) -> Version:
    root = _kind_dir(kind)
    root.mkdir(parents=True, exist_ok=True)
    _check_base(kind, base_version)     # early: no needless write
    now = datetime.now(UTC)
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
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{version}-{os.getpid()}-", dir=root))
    try:
        data.to_parquet(tmp / "data.parquet", index=False, compression="zstd")   # written once
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
        with _locked(kind):
            _check_base(kind, base_version)
            os.rename(tmp, root / version)
            try:
                _set_current(kind, version)
            except BaseException:       # not switched: the new version must not linger
                shutil.rmtree(root / version, ignore_errors=True)
                raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(kind, keep)
    return Version(kind, version, root / version, manifest)


def restore(kind: str, version: str | None = None, *,
            base_version: str | None = None) -> Version:
    """Make an earlier version current again: ``version``, or the one before the current.
    ``base_version`` as in ``save``."""
    with storage_errors(), _locked(kind):
        _check_base(kind, base_version)
        return _restore(kind, version)


def _restore(kind: str, version: str | None) -> Version:
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


def discard(kind: str, *, base_version: str | None = None) -> None:
    """Stop using imported data of ``kind`` (the app falls back to its samples); the
    versions stay on disk and can be restored. ``base_version`` as in ``save``."""
    with storage_errors(), _locked(kind):
        _check_base(kind, base_version)
        (_kind_dir(kind) / "current.json").unlink(missing_ok=True)


def _prune(kind: str, keep: int) -> None:
    cur = current(kind)
    for v in list_versions(kind)[max(keep, 2):]:
        if cur is None or v.version != cur.version:
            shutil.rmtree(v.path, ignore_errors=True)
    clean_interrupted(kind)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_interrupted(kind: str, max_age_s: float = 3600) -> list[Path]:
    """Remove the temporary folders of interrupted saves of ``kind``: those whose process
    is gone (killed), and any older than ``max_age_s``. Returns what was removed."""
    root = _kind_dir(kind)
    now = datetime.now().timestamp()
    removed = []
    for p in root.glob(".tmp-*"):
        m = re.match(r"^\.tmp-[^-]+-[0-9a-f]{6}-(\d+)-", p.name)
        try:
            dead = m is not None and int(m.group(1)) != os.getpid() and not _pid_alive(int(m.group(1)))
            if dead or m is None or now - p.stat().st_mtime > max_age_s:
                if m is None and now - p.stat().st_mtime <= max_age_s:
                    continue        # an old-style name: only by age
                shutil.rmtree(p, ignore_errors=True)
                removed.append(p)
        except OSError:
            pass
    return removed
