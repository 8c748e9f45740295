"""Agendas and follow-ups as records: checks of what a user typed, the agenda's item
operations (add, remove, move, edit), and the follow-up tables with "then vs now".

No storage here (geo.meeting.store): every function takes and returns plain records.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace

import pandas as pd

from geo.codes import is_code
from geo.indicators import registry as indicators
from geo.meeting.figures import Figures, figures
from geo.meeting.links import ViewLink, parse_link
from geo.workspace import WorkspaceError

STATUSES = ("baru", "berjalan", "selesai")
OPEN = ("baru", "berjalan")
MAX_TEXT = {"isi": 2000, "pj": 200, "catatan": 2000, "nama": 120, "judul": 200}
LIST_COLUMNS = ["id", "wilayah", "nama_wilayah", "indikator", "isi", "pj", "tenggat", "status",
                "dibuat", "nilai_saat_itu", "periode_saat_itu", "peringkat_saat_itu",
                "nilai_kini", "periode_kini", "peringkat_kini", "terlambat"]
EXPORT_COLUMNS = LIST_COLUMNS + ["catatan", "dibuat_oleh", "diubah", "diubah_oleh",
                                 "selesai_pada", "tautan"]


class MeetingError(WorkspaceError):
    """A follow-up or agenda that cannot be saved (message in Indonesian)."""


class MeetingConflict(MeetingError):
    """Someone else saved the same agenda or follow-up since the user read it."""


def _text(value, what: str, required: bool = True) -> str:
    text = " ".join(str(value or "").split()) if what != "catatan" else str(value or "").strip()
    if required and not text:
        raise MeetingError(f"{what} harus diisi")
    if len(text) > MAX_TEXT[what]:
        raise MeetingError(f"{what} terlalu panjang (maksimal {MAX_TEXT[what]} karakter)")
    return text


def parse_date(value, what: str = "tenggat") -> str:
    """ISO date text (YYYY-MM-DD) of ``value`` (a date or text)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise MeetingError(f"{what} harus berupa tanggal TTTT-BB-HH, mis. 2027-01-31") from None


def now_text() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


# ---------------------------------------------------------------- follow-ups
@dataclass(frozen=True)
class FollowUp:
    wilayah: str
    indikator: str
    isi: str
    pj: str
    tenggat: str                              # YYYY-MM-DD
    status: str = "baru"
    catatan: str = ""
    tautan: str = ""                          # the view it was decided on
    nilai_saat_itu: float | None = None
    periode_saat_itu: str | None = None
    peringkat_saat_itu: int | None = None
    dari_saat_itu: int | None = None
    id: int | None = None
    dibuat: str = ""
    dibuat_oleh: str = ""
    diubah: str = ""
    diubah_oleh: str = ""
    selesai_pada: str = ""
    revisi: int = 0

    def then(self) -> Figures:
        return Figures(self.nilai_saat_itu, self.periode_saat_itu, self.peringkat_saat_itu,
                       self.dari_saat_itu)

    def overdue(self, today: dt.date | None = None) -> bool:
        """Not done and past its due date."""
        today = today or dt.date.today()
        return self.status != "selesai" and dt.date.fromisoformat(self.tenggat) < today

    def as_dict(self) -> dict:
        return asdict(self)


def new_followup(region: str, indicator: str, isi: str, pj: str, tenggat, *,
                 status: str = "baru", catatan: str = "", tautan: str = "",
                 then: Figures | None = None) -> FollowUp:
    """A checked follow-up (not saved yet)."""
    region = str(region or "").strip()
    if not is_code(region):
        raise MeetingError(f"wilayah '{region[:40]}' bukan kode wilayah (contoh: 62.03)")
    if indicator not in indicators.INDICATORS:
        raise MeetingError(f"indikator tidak dikenal: {str(indicator)[:60]}")
    if status not in STATUSES:
        raise MeetingError(f"status harus salah satu dari {', '.join(STATUSES)}")
    if tautan:
        tautan = parse_link(tautan).link()
    then = then or Figures()
    return FollowUp(region, indicator, _text(isi, "isi"), _text(pj, "pj"), parse_date(tenggat),
                    status, _text(catatan, "catatan", False), tautan, then.nilai, then.periode,
                    then.peringkat, then.dari)


def with_figures(item: FollowUp, long: pd.DataFrame, period: str | None) -> FollowUp:
    """``item`` with the figures of its region and indicator in ``period`` (the view's)."""
    f = figures(long, item.indikator, item.wilayah, period)
    return replace(item, nilai_saat_itu=f.nilai, periode_saat_itu=f.periode,
                   peringkat_saat_itu=f.peringkat, dari_saat_itu=f.dari)


def changed(item: FollowUp, *, by: str, status: str | None = None, catatan: str | None = None,
            isi: str | None = None, pj: str | None = None, tenggat=None) -> FollowUp:
    """``item`` after an update by ``by`` (closing it records when)."""
    updates = {}
    if status is not None:
        if status not in STATUSES:
            raise MeetingError(f"status harus salah satu dari {', '.join(STATUSES)}")
        updates["status"] = status
        if status == "selesai" and item.status != "selesai":
            updates["selesai_pada"] = now_text()
        elif status != "selesai":
            updates["selesai_pada"] = ""
    if catatan is not None:
        updates["catatan"] = _text(catatan, "catatan", False)
    if isi is not None:
        updates["isi"] = _text(isi, "isi")
    if pj is not None:
        updates["pj"] = _text(pj, "pj")
    if tenggat is not None:
        updates["tenggat"] = parse_date(tenggat)
    return replace(item, **updates, diubah=now_text(), diubah_oleh=by,
                   revisi=item.revisi + 1)


def in_region(code: str, region: str) -> bool:
    return not region or code == region or code.startswith(region + ".")


def select(items, *, region: str = "", status=None, pj: str = "", overdue: bool = False,
           today: dt.date | None = None) -> list[FollowUp]:
    """Follow-ups of ``region`` and its sub-regions, with one of ``status`` (a name or a
    list), whose office contains ``pj`` (any case), only overdue ones when ``overdue``."""
    statuses = [status] if isinstance(status, str) else list(status or [])
    needle = (pj or "").strip().casefold()
    return [i for i in items
            if in_region(i.wilayah, region) and (not statuses or i.status in statuses)
            and (not needle or needle in i.pj.casefold())
            and (not overdue or i.overdue(today))]


def then_now(items, long: pd.DataFrame, names: pd.Series | None = None,
             today: dt.date | None = None) -> pd.DataFrame:
    """One row per follow-up (EXPORT_COLUMNS): the figures when decided and today's for
    the latest period, and whether it is overdue."""
    names = names if names is not None else pd.Series(dtype=object)
    now_cache: dict[tuple[str, str], Figures] = {}
    rows = []
    for i in items:
        key = (i.indikator, i.wilayah)
        if key not in now_cache:
            now_cache[key] = figures(long, i.indikator, i.wilayah)
        now = now_cache[key]
        rows.append({
            "id": i.id, "wilayah": i.wilayah, "nama_wilayah": str(names.get(i.wilayah, i.wilayah)),
            "indikator": i.indikator, "isi": i.isi, "pj": i.pj, "tenggat": i.tenggat,
            "status": i.status, "dibuat": i.dibuat,
            "nilai_saat_itu": i.nilai_saat_itu, "periode_saat_itu": i.periode_saat_itu or "",
            "peringkat_saat_itu": i.then().rank_text(),
            "nilai_kini": now.nilai, "periode_kini": now.periode or "",
            "peringkat_kini": now.rank_text(), "terlambat": i.overdue(today),
            "catatan": i.catatan, "dibuat_oleh": i.dibuat_oleh, "diubah": i.diubah,
            "diubah_oleh": i.diubah_oleh, "selesai_pada": i.selesai_pada, "tautan": i.tautan})
    return pd.DataFrame(rows, columns=EXPORT_COLUMNS)


def closed_since(items, since: str | None) -> list[FollowUp]:
    """Follow-ups closed on or after the date ``since`` (all closed ones when None)."""
    return [i for i in items if i.status == "selesai"
            and (since is None or (i.selesai_pada or "")[:10] >= since)]


# ---------------------------------------------------------------- agendas
@dataclass(frozen=True)
class AgendaItem:
    tautan: str                    # /page?query
    judul: str = ""

    @property
    def view(self) -> ViewLink:
        return parse_link(self.tautan)


@dataclass(frozen=True)
class Agenda:
    nama: str
    butir: tuple[AgendaItem, ...] = ()
    tanggal: str = ""              # the meeting's date (YYYY-MM-DD)
    revisi: int = 0
    dibuat_oleh: str = ""
    diubah: str = ""
    diubah_oleh: str = ""

    def as_dict(self) -> dict:
        return {"nama": self.nama, "butir": [asdict(b) for b in self.butir],
                "tanggal": self.tanggal, "revisi": self.revisi, "dibuat_oleh": self.dibuat_oleh,
                "diubah": self.diubah, "diubah_oleh": self.diubah_oleh}

    @classmethod
    def from_dict(cls, d: dict) -> Agenda:
        return cls(d["nama"], tuple(AgendaItem(**b) for b in d.get("butir") or ()),
                   d.get("tanggal") or "", int(d.get("revisi") or 0), d.get("dibuat_oleh") or "",
                   d.get("diubah") or "", d.get("diubah_oleh") or "")


def agenda_name(name) -> str:
    return _text(name, "nama")


def new_agenda(name, tanggal=None) -> Agenda:
    return Agenda(agenda_name(name), (), parse_date(tanggal or dt.date.today(), "tanggal"))


def _pos(agenda: Agenda, pos: int) -> int:
    if not 1 <= int(pos) <= len(agenda.butir):
        raise MeetingError(f"posisi {pos} tidak ada (agenda {agenda.nama} berisi "
                           f"{len(agenda.butir)} butir)")
    return int(pos) - 1


def add_item(agenda: Agenda, link: str, title: str = "", at: int | None = None) -> Agenda:
    """``agenda`` with the view of ``link`` added (at the end, or at position ``at``)."""
    item = AgendaItem(parse_link(link).link(), _text(title, "judul", False))
    items = list(agenda.butir)
    items.insert(len(items) if at is None else max(0, int(at) - 1), item)
    return replace(agenda, butir=tuple(items))


def remove_item(agenda: Agenda, pos: int) -> Agenda:
    items = list(agenda.butir)
    del items[_pos(agenda, pos)]
    return replace(agenda, butir=tuple(items))


def move_item(agenda: Agenda, pos: int, new_pos: int) -> Agenda:
    items = list(agenda.butir)
    item = items.pop(_pos(agenda, pos))
    items.insert(max(0, min(len(items), int(new_pos) - 1)), item)
    return replace(agenda, butir=tuple(items))


def edit_item(agenda: Agenda, pos: int, link: str | None = None,
              title: str | None = None) -> Agenda:
    items = list(agenda.butir)
    i = _pos(agenda, pos)
    old = items[i]
    items[i] = AgendaItem(parse_link(link).link() if link is not None else old.tautan,
                          _text(title, "judul", False) if title is not None else old.judul)
    return replace(agenda, butir=tuple(items))


def last_meeting_before(agendas, day: str) -> str | None:
    """The latest agenda date strictly before ``day`` (the previous meeting), or None."""
    earlier = [a.tanggal for a in agendas if a.tanggal and a.tanggal < day]
    return max(earlier) if earlier else None


__all__ = ["STATUSES", "OPEN", "LIST_COLUMNS", "EXPORT_COLUMNS", "MeetingError",
           "MeetingConflict", "FollowUp", "Agenda", "AgendaItem"]
