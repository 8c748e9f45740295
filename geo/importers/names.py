"""Matching region names to Kemendagri codes (rapidfuzz), within a parent region.

Names are compared without their administrative prefix, case, punctuation and spaces
("Kota Palangka Raya" ~ "Kota Palangkaraya", "Kab. Kotawaringin Barat" ~ "Kabupaten
Kotawaringin Barat"). For regencies the prefix still counts: "Kota Bekasi" never matches
"Kabupaten Bekasi"; a name without prefix prefers the kabupaten (BIG writes regencies
without prefix and cities as "Kota …").
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from geo.codes import LEVELS

AUTO_SCORE = 90      # at or above (and unambiguous): a match that may be applied
SUGGEST_SCORE = 75   # at or above: offered as a suggestion
MARGIN = 5           # best must beat the runner-up by this much to be unambiguous

_PREFIX = re.compile(
    r"^(provinsi|prov|propinsi|kabupaten|kab|kota administrasi|kota adm|kota|kotamadya|"
    r"kecamatan|kec|distrik|desa adat|desa|ds|kelurahan|kel|nagari|kampung|gampong)\b\.?\s*",
    re.I)


def core_name(name) -> str:
    s = str(name or "").strip().lower()
    s = re.sub(r"[^0-9a-z ]+", " ", s)
    prev = None
    while prev != s:
        prev = s
        s = _PREFIX.sub("", s.strip())
    return re.sub(r"\s+", "", s)


def city_kind(name) -> str | None:
    s = str(name or "").strip().lower()
    if re.match(r"^kota\b(?!waringin|baru|bumi|mobagu)", s) or re.match(r"^kotamadya\b", s):
        return "kota"
    if re.match(r"^(kabupaten|kab)\b", s):
        return "kabupaten"
    return None


@dataclass(frozen=True)
class Match:
    code: str
    name: str
    score: float
    ambiguous: bool = False
    runner_up: str | None = None

    @property
    def auto(self) -> bool:
        return self.score >= AUTO_SCORE and not self.ambiguous

    def describe(self) -> str:
        return f"{self.code} {self.name} (kecocokan {self.score:.0f}%)"


@functools.lru_cache(maxsize=8)
def _known(root: str, level: str) -> frozenset[str]:
    from geo.regions.boundaries import code_list
    return frozenset(code_list(level)["code"].tolist())


def known_codes(level: str) -> frozenset[str]:
    """Set of the official codes of one level (cached per data directory)."""
    from geo.config import data_dir
    return _known(str(data_dir()), level)


@functools.lru_cache(maxsize=8)
def _official(root: str, level: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The code list of ``level`` sorted by code, with each name's ``core`` (computed once,
    not per looked-up row), and the sorted codes for range lookups."""
    from geo.regions.boundaries import code_list
    df = code_list(level).sort_values("code", kind="stable").reset_index(drop=True)
    df["core"] = [core_name(n) for n in df["name"]]
    return df, df["code"].to_numpy(dtype=str)


def _candidates(level: str, parent: str | None) -> pd.DataFrame:
    """Official regions of ``level`` (under ``parent``: the run of codes "<parent>.…")."""
    from geo.config import data_dir
    df, codes = _official(str(data_dir()), level)
    if parent:
        lo, hi = np.searchsorted(codes, [parent + ".", parent + "/"])  # "/" follows "."
        df = df.iloc[lo:hi]
    return df


def official_name(level: str, code: str) -> str:
    """Official name of a region ('' when the code is not in the list)."""
    row = official_row(level, code)
    return str(row["name"].iloc[0]) if len(row) else ""


def official_row(level: str, code: str) -> pd.DataFrame:
    """The official region ``code`` of ``level`` as a one-row candidate frame (empty when
    the code is not in the list)."""
    from geo.config import data_dir
    df, codes = _official(str(data_dir()), level)
    at = int(np.searchsorted(codes, code))
    return df.iloc[at:at + 1] if at < len(codes) and codes[at] == code else df.iloc[0:0]


def match_name(name, level: str, parent: str | None = None,
               candidates: pd.DataFrame | None = None) -> Match | None:
    """Best official region of ``level`` (under ``parent``) for a name; None when nothing
    reaches SUGGEST_SCORE."""
    if level not in LEVELS:
        raise ValueError(level)
    core = core_name(name)
    if not core:
        return None
    df = _candidates(level, parent) if candidates is None else candidates
    if not len(df):
        return None
    cores = df["core"].tolist() if "core" in df else [core_name(n) for n in df["name"]]
    hits = process.extract(core, cores, scorer=fuzz.ratio, limit=5)
    if not hits:
        return None
    wanted = city_kind(name) if level == "kabupaten" else None
    scored = []
    for _, score, pos in hits:
        row = df.iloc[pos]
        adj = float(score)
        if level == "kabupaten":
            kind = row.get("kind")
            if wanted and kind and kind != wanted:
                adj -= 20
            elif wanted is None and kind == "kota":
                adj -= 1      # BIG: no prefix means kabupaten
        scored.append((adj, row["code"], row["name"]))
    scored.sort(key=lambda t: (-t[0], t[1]))
    best = scored[0]
    if best[0] < SUGGEST_SCORE:
        return None
    second = scored[1] if len(scored) > 1 else None
    ambiguous = second is not None and best[0] - second[0] < MARGIN
    return Match(best[1], best[2], max(best[0], 0.0), ambiguous,
                 f"{second[1]} {second[2]}" if ambiguous else None)
