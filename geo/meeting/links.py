"""A dashboard view as a link: page + query string (``/stunting?wilayah=62&survei=SSGI+2024``).

Everything a view is lives in its link (components.state keeps the view in the URL), so an
agenda item is a link. Only the dashboard's own parameters are kept; values are cut to
100 characters and a region must be a Kemendagri code.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from geo.codes import is_code
from geo.hazards.types import ALL as ALL_HAZARDS
from geo.indicators.hazards import hazard_indicator_id
from geo.indicators.transformation import SPM_INDICATORS

#: pages with a map (URL path → default indicator of the page)
MAP_PAGES = {
    "ringkasan": "posyandu", "stunting": "stunting", "kader": "kader_per_posyandu",
    "risiko_bencana": hazard_indicator_id(ALL_HAZARDS), "konektivitas": "tanpa_internet_pct",
    "layanan_spm": SPM_INDICATORS[0], "peringkat": "stunting",
}
PAGE_TITLES = {"ringkasan": "Ringkasan", "stunting": "Stunting", "kader": "Kader",
               "risiko_bencana": "Risiko Bencana", "konektivitas": "Konektivitas",
               "layanan_spm": "Layanan SPM", "peringkat": "Peringkat"}
ALIASES = {"": "ringkasan", "beranda": "ringkasan"}
#: URL parameters of a view (components.state.PARAMS plus the hazard type)
VIEW_PARAMS = ("wilayah", "indikator", "survei", "banding", "bahaya", "lang", "kelas",
               "peta_dasar")
MAX_CHARS = 100


class LinkError(ValueError):
    """A link that is not a dashboard view (message in Indonesian)."""


@dataclass(frozen=True)
class ViewLink:
    page: str                                  # URL path of a map page (MAP_PAGES)
    params: tuple[tuple[str, str], ...] = ()   # view parameters, in VIEW_PARAMS order

    def get(self, key: str, default: str = "") -> str:
        return dict(self.params).get(key, default)

    @property
    def region(self) -> str:
        return self.get("wilayah")

    @property
    def indicator(self) -> str:
        return self.get("indikator") or MAP_PAGES[self.page]

    @property
    def period(self) -> str:
        return self.get("survei")

    def query(self, **extra: str) -> dict[str, str]:
        out = dict(self.params)
        out.update({k: v for k, v in extra.items() if v is not None})
        return out

    def link(self, **extra: str) -> str:
        """``/stunting?wilayah=62`` (``extra`` parameters appended)."""
        q = urlencode(self.query(**extra))
        return f"/{self.page}" + (f"?{q}" if q else "")

    def title(self, region_name: str | None = None) -> str:
        where = region_name or self.region or "Indonesia"
        return f"{PAGE_TITLES[self.page]} — {where}"


def parse_link(text: str) -> ViewLink:
    """A dashboard link (full URL, ``/page?…``, ``page?…``, or only the query string
    ``wilayah=62&…``, which opens Ringkasan) as a ViewLink; LinkError when it is none."""
    raw = str(text or "").strip()
    if not raw:
        raise LinkError("tautan kosong")
    if len(raw) > 2000:
        raise LinkError("tautan terlalu panjang")
    if "=" in raw and "?" not in raw and "/" not in raw:
        raw = "?" + raw
    parts = urlsplit(raw)
    path = parts.path.strip("/")
    path = path.rsplit("/", 1)[-1] if "/" in path else path
    page = ALIASES.get(path, path)
    if page not in MAP_PAGES:
        raise LinkError(f"halaman '{path[:60]}' bukan halaman peta (pilihan: "
                        f"{', '.join(MAP_PAGES)})")
    found = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=False):
        if key in VIEW_PARAMS:
            found[key] = value.strip()[:MAX_CHARS]
    region = found.get("wilayah", "")
    if region and not is_code(region):
        raise LinkError(f"kode wilayah '{region[:40]}' tidak dikenal (contoh: 62 atau 62.03)")
    params = tuple((k, found[k]) for k in VIEW_PARAMS if found.get(k))
    return ViewLink(page, params)


def view_link(page: str, params: dict[str, str]) -> ViewLink:
    """The ViewLink of a page and its parameters (what the dashboard shows now)."""
    return parse_link(f"/{page}?{urlencode({k: v for k, v in params.items() if v})}")
