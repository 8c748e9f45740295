"""Git-ignored cache of derived artefacts, keyed by the sha256 of their source files.

A source's hash is remembered next to the cache by (path, size, mtime), so an unchanged
93 MB file is not hashed again on every start; a changed file gets a new hash, hence a new
key, hence a rebuilt artefact.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from geo.config import cache_dir

_STAMPS = "source-hashes.json"


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def _stamps_path() -> Path:
    return cache_dir() / _STAMPS


_MEMO: dict[tuple[str, str], str] = {}   # (path, stamp) -> sha256, in this process


def file_hash(path: Path) -> str:
    """sha256 of a file, memoised by (resolved path, size, mtime_ns): in the process, and on
    disk across processes (entries of files that no longer exist are dropped)."""
    path = Path(path).resolve()
    st = path.stat()
    stamp = f"{st.st_size}:{st.st_mtime_ns}"
    if (str(path), stamp) in _MEMO:
        return _MEMO[str(path), stamp]
    store = _stamps_path()
    try:
        stamps = json.loads(store.read_text())
    except (FileNotFoundError, ValueError):
        stamps = {}
    entry = stamps.get(str(path))
    if entry and entry.get("stamp") == stamp:
        digest = entry["sha256"]
    else:
        digest = sha256_file(path)
        stamps = {k: v for k, v in stamps.items() if Path(k).exists()}
        stamps[str(path)] = {"stamp": stamp, "sha256": digest}
        write_text_atomic(store, json.dumps(stamps, indent=0))
    _MEMO[str(path), stamp] = digest
    return digest


def key_for(paths: list[Path], extra: str = "") -> str:
    """A short key naming the exact content of ``paths`` (and ``extra``)."""
    h = hashlib.sha256(extra.encode())
    for p in paths:
        h.update(Path(p).name.encode())
        h.update(file_hash(p).encode())
    return h.hexdigest()[:16]


def path(name: str) -> Path:
    return cache_dir() / name


def _atomic(target: Path, write) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(target: Path, text: str) -> None:
    _atomic(Path(target), lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def write_bytes_atomic(target: Path, data: bytes) -> None:
    _atomic(Path(target), lambda tmp: Path(tmp).write_bytes(data))


def write_table_atomic(frame, target: Path, row_group_size: int = 1 << 24) -> None:
    """A plain (non-geographic) table as Parquet, converted in the calling thread only:
    no pool of threads, so a writer thread that a process waits for at exit can still
    finish (Python refuses new pool work once the interpreter shuts down)."""
    _atomic(Path(target), lambda tmp: pq.write_table(
        pa.Table.from_pandas(frame, preserve_index=False, nthreads=1), tmp,
        compression="zstd", row_group_size=row_group_size))


def write_parquet_atomic(gdf, target: Path, row_group_size: int = 4096) -> None:
    """GeoParquet, sorted input in small row groups so province filters skip most of it."""
    _atomic(Path(target), lambda tmp: gdf.to_parquet(tmp, compression="zstd", index=False,
                                                            row_group_size=row_group_size))


_CODE_KEY: dict[str, str] = {}


def code_key(package: Path | None = None) -> str:
    """A short key naming the source code of the ``geo`` package (every .py file's
    content): a cached result computed by that code is rebuilt after any change to it."""
    package = Path(package or Path(__file__).resolve().parent)
    if str(package) not in _CODE_KEY:
        h = hashlib.sha256()
        for path in sorted(package.rglob("*.py")):
            h.update(str(path.relative_to(package)).encode())
            h.update(path.read_bytes())
        _CODE_KEY[str(package)] = h.hexdigest()[:16]
    return _CODE_KEY[str(package)]


def tree_stamp(folder: Path) -> str:
    """A short key of a folder's files by (relative path, size, mtime): cheap, changes
    whenever a file is replaced, added or removed."""
    h = hashlib.sha256()
    folder = Path(folder)
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            st = path.stat()
            h.update(f"{path.relative_to(folder)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def prune(pattern: str, keep: int) -> None:
    """Remove all but the ``keep`` newest cache files matching ``pattern``."""
    files = sorted(cache_dir().glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        try:
            old.unlink()
        except OSError:
            pass
