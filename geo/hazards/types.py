"""The ten hazard types of BNPB's InaRISK, their classes and colours — a fixed list.

InaRISK publishes a hazard index (0–1) per type, classed rendah / sedang / tinggi after
Perka BNPB No. 2/2012. Every hazard layer of the project (polygon zones or a raster)
carries one of these ``id`` values as its ``jenis``.

Default class breaks of an index raster or an index field (``DEFAULT_BREAKS``): the
InaRISK thresholds ``index < 0.333`` rendah, ``0.333 ≤ index < 0.666`` sedang,
``index ≥ 0.666`` tinggi. A file's own legend (GeoTIFF tag ``BREAKS``/``AMBANG``) overrides
the default; breaks the user gives override both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

KELAS = ("rendah", "sedang", "tinggi")
KELAS_RANK = {k: i + 1 for i, k in enumerate(KELAS)}     # rendah < sedang < tinggi; 0 = none
DEFAULT_BREAKS = (0.333, 0.666)
ALL = "semua"          # "semua bahaya": the highest class over all types


@dataclass(frozen=True)
class HazardType:
    id: str
    label_id: str
    label_en: str
    ramp: tuple[str, str, str]          # fill colours for rendah, sedang, tinggi
    pattern: str                        # regex recognising the type in free text

    def label(self, lang: str = "id") -> str:
        return self.label_id if lang == "id" else self.label_en

    def color(self, kelas: str) -> str:
        return self.ramp[KELAS.index(kelas)] if kelas in KELAS else "#999999"


# Order matters for recognition (banjir bandang before banjir).
TYPES: tuple[HazardType, ...] = (
    HazardType("gempabumi", "Gempabumi", "Earthquake",
               ("#d9d9d9", "#969696", "#525252"), r"gempa|earthquake"),
    HazardType("tsunami", "Tsunami", "Tsunami",
               ("#c6dbef", "#4292c6", "#08306b"), r"tsunami"),
    HazardType("letusan_gunung_api", "Letusan gunung api", "Volcanic eruption",
               ("#fcc5c0", "#f768a1", "#7a0177"), r"gunung\s*api|gunungapi|erupsi|letusan|volcan"),
    HazardType("banjir_bandang", "Banjir bandang", "Flash flood",
               ("#dadaeb", "#9e9ac8", "#54278f"), r"banjir\s*bandang|flash\s*flood"),
    HazardType("banjir", "Banjir", "Flood",
               ("#c7e9f1", "#41b6c4", "#0c2c84"), r"banjir|flood"),
    HazardType("tanah_longsor", "Tanah longsor", "Landslide",
               ("#f6e8c3", "#bf812d", "#543005"), r"longsor|landslide|gerakan\s*tanah"),
    HazardType("kekeringan", "Kekeringan", "Drought",
               ("#fff7bc", "#fec44f", "#b8860b"), r"kekeringan|drought"),
    HazardType("karhutla", "Kebakaran hutan dan lahan", "Forest and land fire",
               ("#fed976", "#fd8d3c", "#bd0026"),
               r"karhutla|kebakaran|forest\s*fire|land\s*fire|wildfire"),
    HazardType("cuaca_ekstrem", "Cuaca ekstrem", "Extreme weather",
               ("#d9f0d3", "#7fbf7b", "#1b7837"),
               r"cuaca\s*ekstrem|angin|puting\s*beliung|extreme\s*weather"),
    HazardType("gelombang_ekstrem_abrasi", "Gelombang ekstrem dan abrasi",
               "Extreme waves and abrasion", ("#ccece6", "#41ae76", "#00441b"),
               r"abrasi|gelombang|abrasion|extreme\s*wave"),
)
BY_ID = {h.id: h for h in TYPES}
IDS = tuple(h.id for h in TYPES)
# Display order (as InaRISK lists them).
ORDER = ("gempabumi", "tsunami", "letusan_gunung_api", "banjir", "banjir_bandang",
         "tanah_longsor", "kekeringan", "karhutla", "cuaca_ekstrem", "gelombang_ekstrem_abrasi")


def get(type_id: str) -> HazardType:
    try:
        return BY_ID[type_id]
    except KeyError:
        raise KeyError(f"jenis bahaya tidak dikenal: {type_id} "
                       f"(pilihan: {', '.join(ORDER)})") from None


def recognise(text) -> str | None:
    """The type id named in free text ('Banjir Bandang', 'INDEKS_BAHAYA_KARHUTLA',
    'kebakaran_hutan_lahan', 'flood'…), or None."""
    s = str(text or "").strip().lower().replace("_", " ").replace("-", " ")
    if s.replace(" ", "_") in BY_ID:
        return s.replace(" ", "_")
    for h in TYPES:
        if re.search(h.pattern, s):
            return h.id
    return None


def label(type_id: str, lang: str = "id") -> str:
    if type_id == ALL:
        return "Semua bahaya" if lang == "id" else "All hazards"
    h = BY_ID.get(type_id)
    return h.label(lang) if h else str(type_id)


def class_of_index(values, breaks=DEFAULT_BREAKS):
    """Class rank (1 rendah, 2 sedang, 3 tinggi) of index values (NumPy), 0 where NaN."""
    import numpy as np
    v = np.asarray(values, dtype=float)
    rank = (np.searchsorted(np.asarray(breaks, dtype=float), v, side="right") + 1)
    return np.where(np.isnan(v), 0, rank).astype(np.uint8)


def check_breaks(breaks) -> tuple[float, float]:
    """Two increasing breaks (rendah|sedang, sedang|tinggi) or a ValueError in Indonesian."""
    try:
        b = tuple(float(str(x).strip().replace(",", ".")) if not isinstance(x, (int, float))
                  else float(x) for x in breaks)
    except (TypeError, ValueError):
        raise ValueError(f"ambang kelas tidak terbaca: {breaks!r}; tulis dua angka, "
                         f"misalnya 0.333,0.666") from None
    if len(b) != 2 or not b[0] < b[1]:
        raise ValueError(f"ambang kelas harus dua angka naik (rendah|sedang, sedang|tinggi), "
                         f"misalnya 0.333,0.666; diterima: {breaks!r}")
    return b


def parse_breaks(text: str) -> tuple[float, float]:
    """'0.333,0.666' or '0,333;0,666' → (0.333, 0.666)."""
    s = str(text).strip()
    parts = re.split(r"[;\s]+", s) if ";" in s or " " in s else s.split(",")
    if len(parts) != 2 and s.count(",") == 3:        # "0,333,0,666" (decimal commas)
        p = s.split(",")
        parts = [f"{p[0]}.{p[1]}", f"{p[2]}.{p[3]}"]
    return check_breaks([p for p in parts if p])
