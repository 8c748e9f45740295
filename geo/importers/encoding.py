"""The text encoding of a file as offices save it: BOM, UTF-16 without BOM, UTF-8, then
the legacy code pages: Windows-1252 (Indonesian and European Excel), Shift-JIS (Japanese,
Windows-932), EUC-KR (Korean, Windows-949), GB18030/GBK (Simplified Chinese) and Big5
(Traditional Chinese); else Latin-1 (which reads any byte).

Bytes that are not UTF-8 often decode without error in several code pages (a Shift-JIS
name is valid Windows-1252 mojibake: "さくら" → "‚³‚­‚ç"). Windows-1252 is taken at once
when its text looks like ordinary Latin text (accented letters here and there, no runs of
symbols); otherwise every code page that decodes the whole file is a candidate and the
most plausible text wins: charset-normalizer (installed with requests) judges the
candidates by the characters and languages they produce; without it, the East Asian code
page whose text is most East Asian script. A legacy code page other than Windows-1252,
Windows-1252 that still looks garbled, and the Latin-1 fallback are named in a warning of
the import report (``encoding_warning``): the user checks the names read.
"""
from __future__ import annotations

import re
import unicodedata
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
                    "cp1252": "Windows-1252", "cp932": "Shift-JIS (Jepang, Windows-932)",
                    "cp949": "EUC-KR (Korea, Windows-949)",
                    "gb18030": "GB18030/GBK (Tionghoa sederhana)",
                    "big5": "Big5 (Tionghoa tradisional)", "latin-1": "Latin-1"}

#: legacy code pages tried when a file is not UTF-8/UTF-16, in order of preference
LEGACY = ("cp1252", "cp932", "cp949", "gb18030", "big5")
SAMPLE_BYTES = 1 << 20     # what the plausibility judgement reads of a file
MOJIBAKE = 0.15            # share of unusual characters above which Windows-1252 is doubted


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
    """The Python codec of a text file: BOM, UTF-16 without BOM, UTF-8, the most plausible
    legacy code page that decodes the whole file (``LEGACY``), else Latin-1 (which reads
    any byte)."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    utf16 = utf16_without_bom(head)
    if utf16:
        return utf16
    if _decodes(path, "utf-8"):
        return "utf-8"
    with open(path, "rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    if len(sample) == SAMPLE_BYTES and b"\n" in sample:
        sample = sample[:sample.rindex(b"\n") + 1]      # whole lines: no character cut
    cp1252 = _decodes(path, "cp1252")
    if cp1252 and _mojibake_share(sample.decode("cp1252")) < MOJIBAKE:
        return "cp1252"      # ordinary Latin text: the common case, decided at once
    candidates = [enc for enc in LEGACY if (cp1252 if enc == "cp1252" else _decodes(path, enc))]
    if not candidates:
        return "latin-1"
    if len(candidates) == 1:
        return candidates[0]
    return _most_plausible(sample, candidates)


def _most_plausible(sample: bytes, candidates: list[str]) -> str:
    try:
        from charset_normalizer import from_bytes
    except ImportError:      # pragma: no cover - installed with requests
        return _heuristic(sample, candidates)
    best = from_bytes(sample, cp_isolation=candidates).best()
    if best is None:
        return _heuristic(sample, candidates)
    enc = best.encoding.replace("_", "-").lower()
    aliases = {"shift-jis": "cp932", "euc-kr": "cp949", "gbk": "gb18030", "gb2312": "gb18030",
               "cp950": "big5", "big5hkscs": "big5", "windows-1252": "cp1252"}
    enc = aliases.get(enc, enc)
    return enc if enc in candidates else _heuristic(sample, candidates)


# Windows-1252 characters that ordinary Latin text (Indonesian, European) uses; the rest
# of its upper half ("‚", "ƒ", "ˆ", "‹", "³", soft hyphen…) are signs of mojibake.
_LATIN_PUNCT = set("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u00b0\u20ac\u00a9"
                   "\u00ae\u00bd\u00bc\u00be\u00b2\u00b7\u00d7\u00a0")


def _mojibake_share(text: str) -> float:
    """Share of the non-ASCII characters of a Windows-1252 reading that ordinary Latin
    text does not produce: characters it does not use, and runs of three or more non-ASCII
    characters (each East Asian character is two bytes; Latin words carry one accented
    letter here and there)."""
    high = sum(1 for ch in text if ord(ch) > 127)
    if not high:
        return 0.0
    in_runs = set()
    for m in re.finditer(r"[^\x00-\x7f]{3,}", text):
        in_runs.update(range(m.start(), m.end()))
    bad = sum(1 for i, ch in enumerate(text) if ord(ch) > 127 and (
        i in in_runs or (ch not in _LATIN_PUNCT and (
            not unicodedata.category(ch).startswith("L") or ch == "\u0192"))))
    return bad / high


def _east_asian_share(text: str) -> float:
    """Share of the non-ASCII characters in East Asian scripts (CJK ideographs, kana,
    hangul, CJK punctuation, full-width forms; half-width katakana do not count: they are
    what a wrong Japanese reading produces)."""
    high = [ord(ch) for ch in text if ord(ch) > 127]
    if not high:
        return 0.0
    good = sum(1 for c in high if 0x3000 <= c <= 0x30FF or 0x3400 <= c <= 0x9FFF
               or 0xAC00 <= c <= 0xD7A3 or 0xFF01 <= c <= 0xFF5E or 0x1100 <= c <= 0x11FF)
    return good / len(high)


def _heuristic(sample: bytes, candidates: list[str]) -> str:
    if "cp1252" in candidates and _mojibake_share(sample.decode("cp1252")) < MOJIBAKE:
        return "cp1252"
    scored = [(_east_asian_share(sample.decode(enc, errors="replace")), -i, enc)
              for i, enc in enumerate(candidates) if enc != "cp1252"]
    if not scored:
        return candidates[0]
    share, _, enc = max(scored)
    return enc if share >= 0.5 else candidates[0]


def encoding_warning(encoding: str, text: str = "") -> str | None:
    """The report's warning for a text read in an encoding that may have garbled it (a
    legacy code page other than Windows-1252, Windows-1252 whose ``text`` looks like
    mojibake, or the Latin-1 fallback); None otherwise."""
    if encoding == "cp1252" and text and _mojibake_share(text) >= MOJIBAKE:
        return ("Berkas bukan UTF-8 dan dibaca sebagai Windows-1252, tetapi sebagian hurufnya "
                "tampak rusak (mungkin pengodean lain). Periksa nama-nama hasil impor, atau "
                "simpan ulang berkas sebagai CSV UTF-8.")
    if encoding == "latin-1":
        return ("Pengodean teks berkas tidak dikenali (bukan UTF-8, UTF-16, Windows-1252, "
                "Shift-JIS, EUC-KR, GB18030 atau Big5); dibaca sebagai Latin-1, sehingga "
                "huruf di luar abjad Latin kemungkinan salah. Periksa nama-nama hasil impor, "
                "atau simpan ulang berkas sebagai CSV UTF-8.")
    if encoding in LEGACY and encoding != "cp1252":
        return (f"Berkas bukan UTF-8: pengodean teks terdeteksi {ENCODING_LABELS[encoding]} "
                "dan dipakai untuk membaca berkas. Periksa nama-nama hasil impor; bila "
                "hurufnya tampak salah, simpan ulang berkas sebagai CSV UTF-8.")
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and the encoding's Indonesian label (small in-memory inputs)."""
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".txt") as tmp:
        tmp.write(data)
        tmp.flush()
        enc = detect_encoding(Path(tmp.name))
    return data.decode(enc, errors="replace"), ENCODING_LABELS[enc]
