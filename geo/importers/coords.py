"""Coordinates as people write them: decimal degrees (decimal point or comma) or
degrees-minutes-seconds with Indonesian (LU/LS/BT/BB) or English (N/S/E/W) hemispheres.

    parse_coordinate("2°12'30\\" LS")   -> Coordinate(-2.208333, "lat", converted=True)
    parse_coordinate("113,9125")       -> Coordinate(113.9125, None, converted=False)
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

# hemisphere word → (axis, sign)
HEMISPHERES = {
    "lu": ("lat", 1), "u": ("lat", 1), "n": ("lat", 1),
    "ls": ("lat", -1), "s": ("lat", -1),
    "bt": ("lon", 1), "t": ("lon", 1), "e": ("lon", 1),
    "bb": ("lon", -1), "b": ("lon", -1), "w": ("lon", -1),
}
_HEMI = r"(LU|LS|BT|BB|N|S|E|W|U|T|B)"
_LEAD = re.compile(rf"^{_HEMI}\.?(?![A-Za-z])\s*", re.I)
_TRAIL = re.compile(rf"(?<![A-Za-z])\s*{_HEMI}\.?$", re.I)
_NUM = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
_ALLOWED_REST = re.compile(r"^[-+\d.,\s°'\"dDmM]*$")
_SYMBOLS = str.maketrans({"′": "'", "’": "'", "‘": "'", "´": "'", "`": "'", "″": '"',
                          "”": '"', "“": '"', "º": "°", "˚": "°", "\u00a0": " ",
                          # minus signs as word processors write them
                          "\u2212": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                          "\ufe63": "-", "\uff0d": "-", "\u2010": "-", "\u2011": "-"})


@dataclass(frozen=True)
class Coordinate:
    value: float
    axis: str | None      # "lat"/"lon" when the text names a hemisphere
    converted: bool       # True when the text was not a plain decimal number


class CoordinateError(ValueError):
    """Unreadable coordinate; the message is Indonesian."""


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_coordinate(value) -> Coordinate | None:
    """Parse one coordinate cell; None when empty; CoordinateError when unreadable."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        raise CoordinateError("bukan koordinat")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return Coordinate(float(value), None, False)
    text = str(value).translate(_SYMBOLS).strip()
    if not text:
        return None
    text = text.replace("''", '"')
    axis, sign = None, 1
    m = _LEAD.match(text) or _TRAIL.search(text)
    if m:
        axis, sign = HEMISPHERES[m.group(1).lower()]
        text = (text[:m.start()] + text[m.end():]).strip()
    if not text or not _ALLOWED_REST.match(text):
        raise CoordinateError("format koordinat tidak dikenali")
    nums = _NUM.findall(text)
    plain = re.fullmatch(r"[-+]?\d+(?:[.,]\d+)?", text.replace(" ", "")) is not None
    if len(nums) == 1 and plain:
        val = _number(nums[0])
        converted = axis is not None or "," in nums[0]
        if axis is not None:
            val = sign * abs(val)
        return Coordinate(val, axis, axis is not None and converted)
    if not 1 <= len(nums) <= 3:
        raise CoordinateError("format koordinat tidak dikenali")
    negative = nums[0].startswith("-")
    parts = [abs(_number(n)) for n in nums]
    deg = parts[0]
    minutes = parts[1] if len(parts) > 1 else 0.0
    seconds = parts[2] if len(parts) > 2 else 0.0
    if minutes >= 60 or seconds >= 60:
        raise CoordinateError("menit/detik harus kurang dari 60")
    val = deg + minutes / 60 + seconds / 3600
    if negative or sign < 0:
        val = -val
    return Coordinate(round(val, 7), axis, True)


def parse_point(rec: dict) -> tuple[dict, list[tuple[str, object, str]]]:
    """The ``lat`` and ``lon`` of one row: ``{axis: Coordinate | None}`` and, for each value
    that cannot be read, ``(axis, raw value, message)`` (the message shows readable forms)."""
    parsed, bad = {}, []
    for axis in ("lat", "lon"):
        raw = rec.get(axis)
        try:
            parsed[axis] = parse_coordinate(raw)
        except CoordinateError as exc:
            parsed[axis] = None
            bad.append((axis, raw, f"{exc}; contoh yang dapat dibaca: -2.2083, -2,2083 atau "
                                   "2°12'30\" LS"))
    return parsed, bad
