"""The text encoding of a file as offices save it: BOM, UTF-16 without BOM, UTF-8,
Windows-1252, else Latin-1 (which reads any byte)."""
from __future__ import annotations

from pathlib import Path


def utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the bytes look like UTF-16 text without a BOM (every
    second byte NUL, as in ASCII-range text), else None."""
    n = len(head) - len(head) % 2
    if n < 4:
        return None
    even, odd = head[0:n:2], head[1:n:2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 dengan BOM", "utf-16": "UTF-16",
                    "utf-16-le": "UTF-16LE tanpa BOM", "utf-16-be": "UTF-16BE tanpa BOM",
                    "cp1252": "Windows-1252", "latin-1": "Latin-1"}


def _decodes(path: Path, encoding: str) -> bool:
    """True when the whole file decodes (streamed in 1 MB blocks)."""
    import codecs
    dec = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(1 << 20):
                dec.decode(block)
        dec.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False


def detect_encoding(path: Path) -> str:
    """The Python codec of a text file: BOM, UTF-16 without BOM, UTF-8, Windows-1252,
    else Latin-1 (which reads any byte)."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    utf16 = utf16_without_bom(head)
    if utf16:
        return utf16
    for enc in ("utf-8", "cp1252"):
        if _decodes(path, enc):
            return enc
    return "latin-1"


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and the encoding's Indonesian label (small in-memory inputs)."""
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".txt") as tmp:
        tmp.write(data)
        tmp.flush()
        enc = detect_encoding(Path(tmp.name))
    return data.decode(enc, errors="replace"), ENCODING_LABELS[enc]
