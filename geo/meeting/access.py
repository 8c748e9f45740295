"""Who may write agendas and follow-ups, version conflicts, and the interface of their
stores (geo.meeting.store_files, geo.meeting.store_db; chosen by geo.meeting.store).

Stored like the data (geo.store): with the file store in the workspace folder
(``rapat/rapat.json``, written atomically under an exclusive lock, audit lines in
``rapat/audit.jsonl``); with the PostGIS store in its database (tables ``peta_agenda``,
``peta_tindak_lanjut``, ``peta_rapat_audit``: geo.meeting.store_db).

Who writes: with the file store anyone who can open the app (as Kelola Data); with the
PostGIS store an active editor for follow-ups of the regions of their scope, an admin, or a
secretariat account (role ``sekretariat``: meeting records only, never data imports)
within its scope when it has one. Agendas carry no region: any of them may edit one.
Viewers read. Every change is checked against the revision its user read
(``base_revision``; None skips the check, as ``--save`` of an import does) and written to
the audit trail with who and when.
"""
from __future__ import annotations

import json

import pandas as pd

from geo.meeting.records import Agenda, FollowUp, MeetingConflict, MeetingError, now_text
from geo.store import ADMIN, EDITOR, AuthError, User, in_scope, scope_text
from geo.store.base import SEKRETARIAT
from geo.store.scope import acting_user

WRITER_ROLES = (EDITOR, ADMIN, SEKRETARIAT)
AUDIT_COLUMNS = ["waktu", "oleh", "objek", "aksi", "wilayah", "rincian"]
NO_LOGIN = "tanpa login"


def writer(data_store, user: User | None, region: str | None = None) -> str:
    """The name recorded as author, after checking that ``user`` may write a meeting
    record of ``region`` (None: an agenda); AuthError with the reason otherwise."""
    if not data_store.requires_login:
        return (user.username if user is not None else "") or NO_LOGIN
    fresh = acting_user(data_store, user, WRITER_ROLES,
                        login="mencatat rapat memerlukan login (editor, sekretariat atau admin)",
                        refused="tidak boleh mencatat rapat")
    if region is not None and fresh.scope and not in_scope(region, fresh.scope):
        raise AuthError(f"wilayah {region} di luar wilayah kewenangan Anda "
                        f"({scope_text(fresh.scope)}); tidak ada yang disimpan")
    return fresh.username


def conflict_agenda(name: str, current: Agenda | None) -> MeetingConflict:
    who = f" oleh {current.diubah_oleh}" if current is not None and current.diubah_oleh else ""
    return MeetingConflict(f"agenda {name} telah diubah{who} sejak Anda membukanya. Tidak ada "
                           "yang disimpan; muat ulang lalu ubah lagi.")


def conflict_followup(item: FollowUp) -> MeetingConflict:
    who = f" oleh {item.diubah_oleh}" if item.diubah_oleh else ""
    return MeetingConflict(f"tindak lanjut #{item.id} telah diubah{who} sejak Anda "
                           "membukanya. Tidak ada yang disimpan; muat ulang lalu ubah lagi.")


class MeetingStore:
    """Agendas and follow-ups of one data store (the interface of both backends)."""
    backend = "files"

    def __init__(self, data_store):
        self.data_store = data_store

    # agendas
    def agendas(self) -> list[Agenda]:
        raise NotImplementedError

    def agenda(self, name: str) -> Agenda | None:
        return next((a for a in self.agendas() if a.nama == name), None)

    def save_agenda(self, agenda: Agenda, *, user: User | None = None,
                    base_revision: int | None = None) -> Agenda:
        """Create or replace ``agenda``. ``base_revision``: the revision the user read (0 =
        none: the name must be new); None skips the check."""
        raise NotImplementedError

    def delete_agenda(self, name: str, *, user: User | None = None,
                      base_revision: int | None = None) -> None:
        raise NotImplementedError

    # follow-ups
    def followups(self) -> list[FollowUp]:
        raise NotImplementedError

    def followup(self, fid: int) -> FollowUp:
        found = next((i for i in self.followups() if i.id == int(fid)), None)
        if found is None:
            raise MeetingError(f"tindak lanjut #{fid} tidak ada")
        return found

    def add_followup(self, item: FollowUp, *, user: User | None = None) -> FollowUp:
        raise NotImplementedError

    def update_followup(self, fid: int, change, *, user: User | None = None,
                        base_revision: int | None = None) -> FollowUp:
        """Apply ``change(item, by)`` (geo.meeting.records.changed) to follow-up ``fid``."""
        raise NotImplementedError

    def audit(self, limit: int = 500) -> pd.DataFrame:
        raise NotImplementedError


def audit_row(by: str, obj: str, action: str, region: str, details: dict) -> dict:
    return {"waktu": now_text(), "oleh": by, "objek": obj, "aksi": action, "wilayah": region,
            "rincian": json.dumps(details, ensure_ascii=False, default=str)}


def diff(old: FollowUp, new: FollowUp) -> dict:
    out = {"id": old.id}
    for f in ("status", "catatan", "isi", "pj", "tenggat"):
        if getattr(old, f) != getattr(new, f):
            out[f] = getattr(new, f)
    return out
