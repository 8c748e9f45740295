"""User messages about the server's own storage and files (Bahasa Indonesia, no server
paths): why a save or a written file failed (disk full, no permission, read-only), and
file paths reduced to their names in messages passed on from libraries.

No imports from the rest of ``geo``: every layer may use it.
"""
from __future__ import annotations

import errno
import re

KEPT = "versi sebelumnya tetap dipakai"

_REASONS = {
    errno.ENOSPC: "Disk penuh",
    errno.EDQUOT: "Kuota disk habis",
    errno.EACCES: "Tidak ada izin menulis ke penyimpanan data",
    errno.EPERM: "Tidak ada izin menulis ke penyimpanan data",
    errno.EROFS: "Penyimpanan data hanya-baca (read-only)",
}
_ADVICE = {
    errno.ENOSPC: "Kosongkan ruang disk server (atau minta admin), lalu simpan ulang.",
    errno.EDQUOT: "Kosongkan ruang disk server (atau minta admin), lalu simpan ulang.",
    errno.EACCES: "Minta admin memeriksa izin folder data, lalu simpan ulang.",
    errno.EPERM: "Minta admin memeriksa izin folder data, lalu simpan ulang.",
    errno.EROFS: "Minta admin memasang penyimpanan yang dapat ditulisi, lalu simpan ulang.",
}


def storage_reason(exc: OSError) -> str:
    """'Disk penuh', 'Tidak ada izin menulis …', … or a short generic reason."""
    reason = _REASONS.get(exc.errno or 0)
    if reason:
        return reason
    name = errno.errorcode.get(exc.errno or 0)
    return "Galat penyimpanan" + (f" ({name})" if name else "")


def save_failed(exc: OSError) -> str:
    """A save (import, restore, removal) that failed on the disk: nothing was switched."""
    advice = _ADVICE.get(exc.errno or 0, "Coba simpan ulang; bila terulang, hubungi admin.")
    return f"{storage_reason(exc)}: data tidak tersimpan; {KEPT}. {advice}"


def write_failed(exc: OSError, name: str | None = None) -> str:
    """A file the user asked for (report, export) could not be written."""
    fname = name or (base_name(exc.filename) if exc.filename else None)
    what = f"berkas {fname}" if fname else "berkas"
    reason = storage_reason(exc)
    if exc.errno in _REASONS:
        return f"{reason}: {what} tidak tertulis."
    return f"{reason}: {what} tidak tertulis ({exc.strerror or 'galat sistem berkas'})."


def upload_failed(exc: OSError) -> str:
    """An uploaded file could not be put on the server's disk to be read."""
    advice = _ADVICE.get(exc.errno or 0, "Coba lagi; bila terulang, hubungi admin.")
    advice = advice.replace("lalu simpan ulang", "lalu unggah ulang")
    return (f"{storage_reason(exc)}: berkas unggahan tidak dapat ditaruh sementara di server "
            f"untuk dibaca; tidak ada yang diimpor. {advice}")


def is_storage_error(exc: BaseException) -> bool:
    """The disk is full, read-only or not writable (not a fault of the file)."""
    return isinstance(exc, OSError) and (exc.errno or 0) in _REASONS


def base_name(path) -> str:
    return re.split(r"[\\/]", str(path).rstrip("/\\"))[-1]


# an absolute path (/a/b or /a/b/c.ext) not part of a URL (x://…)
_PATH = re.compile(r"(?<![\w.:/~-])(?:/[^\s'\"`/():;,<>|]+){2,}/?")


def without_paths(text: str) -> str:
    """``text`` with every absolute file path replaced by its last part (a library's error
    about '/tmp/peta-import-x1/peta.gpkg' becomes one about 'peta.gpkg')."""
    return _PATH.sub(lambda m: base_name(m.group(0)), str(text))
