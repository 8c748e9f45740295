"""Downloading the files of a plan from the upstream, a mirror folder or an intranet URL,
checked against the manifest's size and sha256.
"""
from __future__ import annotations

import hashlib
import http.client
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from geo.fetch.manifest import RAW_BASE, REPOS, ChecksumError, ManifestEntry, SourceUnavailable, guidance

log = logging.getLogger(__name__)


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
