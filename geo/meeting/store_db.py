"""Agendas and follow-ups in the PostGIS store's database (migration 0003_meeting):
``peta_agenda`` (one row per agenda, its items as JSONB), ``peta_tindak_lanjut`` (one row
per follow-up with its figures when decided) and ``peta_rapat_audit`` (every change: who,
when, what). Each change is one transaction: the row is locked (``FOR UPDATE``), its
revision checked against the one the user read, written, and the audit row added."""
from __future__ import annotations

import dataclasses
import json

import pandas as pd
from sqlalchemy import text

from geo.meeting.access import (
    AUDIT_COLUMNS,
    MeetingStore,
    conflict_agenda,
    conflict_followup,
    diff,
    writer,
)
from geo.meeting.records import Agenda, AgendaItem, FollowUp, MeetingError

FIELDS = [f.name for f in dataclasses.fields(FollowUp)]
_TIMES = ("dibuat", "diubah", "selesai_pada")


def _iso(value) -> str:
    if value is None or value is pd.NaT:
        return ""
    return value.astimezone().isoformat(timespec="seconds") if hasattr(value, "astimezone") \
        else str(value)


def _as_followup(row) -> FollowUp:
    d = {k: row[k] for k in FIELDS}
    for k in _TIMES:
        d[k] = _iso(d[k])
    d["tenggat"] = d["tenggat"].isoformat()
    for k in ("catatan", "tautan", "dibuat_oleh", "diubah_oleh"):
        d[k] = d[k] or ""
    return FollowUp(**d)


def _as_agenda(row) -> Agenda:
    return Agenda(row["nama"], tuple(AgendaItem(**b) for b in row["butir"] or ()),
                  row["tanggal"].isoformat() if row["tanggal"] else "", int(row["revisi"]),
                  row["dibuat_oleh"] or "", _iso(row["diubah"]), row["diubah_oleh"] or "")


def _audit(conn, by: str, obj: str, action: str, region: str, details: dict) -> None:
    conn.execute(text("INSERT INTO peta_rapat_audit (oleh, objek, aksi, wilayah, rincian) "
                      "VALUES (:o, :obj, :a, :w, CAST(:r AS jsonb))"),
                 {"o": by, "obj": obj, "a": action, "w": region,
                  "r": json.dumps(details, ensure_ascii=False, default=str)})


class PostgisMeetingStore(MeetingStore):
    backend = "postgis"

    @property
    def engine(self):
        return self.data_store.engine

    # ------------------------------------------------------------ agendas
    def agendas(self):
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT * FROM peta_agenda ORDER BY tanggal DESC, nama "
                                     "DESC")).mappings().all()
        return [_as_agenda(r) for r in rows]

    def agenda(self, name):
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT * FROM peta_agenda WHERE nama = :n"),
                               {"n": name}).mappings().first()
        return _as_agenda(row) if row else None

    def save_agenda(self, agenda, *, user=None, base_revision=None):
        by = writer(self.data_store, user)
        items = json.dumps([dataclasses.asdict(b) for b in agenda.butir], ensure_ascii=False)
        with self.engine.begin() as conn:
            cur = conn.execute(text("SELECT * FROM peta_agenda WHERE nama = :n FOR UPDATE"),
                               {"n": agenda.nama}).mappings().first()
            revision = int(cur["revisi"]) if cur else 0
            if base_revision is not None and revision != base_revision:
                raise conflict_agenda(agenda.nama, _as_agenda(cur) if cur else None)
            params = {"n": agenda.nama, "b": items, "t": agenda.tanggal or None, "by": by}
            if cur is None:
                conn.execute(text(
                    "INSERT INTO peta_agenda (nama, butir, tanggal, revisi, dibuat_oleh, "
                    "diubah_oleh) VALUES (:n, CAST(:b AS jsonb), COALESCE(CAST(:t AS date), "
                    "current_date), 1, :by, :by)"), params)
            else:
                conn.execute(text(
                    "UPDATE peta_agenda SET butir = CAST(:b AS jsonb), tanggal = COALESCE("
                    "CAST(:t AS date), tanggal), revisi = revisi + 1, diubah = now(), "
                    "diubah_oleh = :by WHERE nama = :n"), params)
            _audit(conn, by, "agenda", "ubah" if cur else "tambah", "",
                   {"nama": agenda.nama, "butir": len(agenda.butir)})
            row = conn.execute(text("SELECT * FROM peta_agenda WHERE nama = :n"),
                               {"n": agenda.nama}).mappings().first()
        return _as_agenda(row)

    def delete_agenda(self, name, *, user=None, base_revision=None):
        by = writer(self.data_store, user)
        with self.engine.begin() as conn:
            cur = conn.execute(text("SELECT * FROM peta_agenda WHERE nama = :n FOR UPDATE"),
                               {"n": name}).mappings().first()
            if cur is None:
                raise MeetingError(f"agenda {name} tidak ada")
            if base_revision is not None and int(cur["revisi"]) != base_revision:
                raise conflict_agenda(name, _as_agenda(cur))
            conn.execute(text("DELETE FROM peta_agenda WHERE nama = :n"), {"n": name})
            _audit(conn, by, "agenda", "hapus", "", {"nama": name})

    # ------------------------------------------------------------ follow-ups
    def followups(self):
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT * FROM peta_tindak_lanjut ORDER BY id")).mappings()
            return [_as_followup(r) for r in rows]

    def add_followup(self, item, *, user=None):
        by = writer(self.data_store, user, item.wilayah)
        cols = [f for f in FIELDS if f not in ("id", "revisi", *_TIMES, "dibuat_oleh",
                                               "diubah_oleh")]
        values = {c: getattr(item, c) for c in cols}
        with self.engine.begin() as conn:
            fid = conn.execute(text(
                f"INSERT INTO peta_tindak_lanjut ({', '.join(cols)}, dibuat_oleh, diubah_oleh, "
                f"revisi) VALUES ({', '.join(':' + c for c in cols)}, :by, :by, 1) "
                "RETURNING id"), {**values, "by": by}).scalar()
            _audit(conn, by, "tindak_lanjut", "tambah", item.wilayah,
                   {"id": fid, "isi": item.isi, "pj": item.pj, "tenggat": item.tenggat,
                    "status": item.status})
            row = conn.execute(text("SELECT * FROM peta_tindak_lanjut WHERE id = :i"),
                               {"i": fid}).mappings().first()
        return _as_followup(row)

    def update_followup(self, fid, change, *, user=None, base_revision=None):
        with self.engine.begin() as conn:
            row = conn.execute(text("SELECT * FROM peta_tindak_lanjut WHERE id = :i FOR UPDATE"),
                               {"i": int(fid)}).mappings().first()
            if row is None:
                raise MeetingError(f"tindak lanjut #{fid} tidak ada")
            cur = _as_followup(row)
            by = writer(self.data_store, user, cur.wilayah)
            if base_revision is not None and cur.revisi != base_revision:
                raise conflict_followup(cur)
            new = change(cur, by)
            conn.execute(text(
                "UPDATE peta_tindak_lanjut SET status = :status, catatan = :catatan, isi = :isi, "
                "pj = :pj, tenggat = :tenggat, diubah = now(), diubah_oleh = :by, "
                "selesai_pada = CASE WHEN :status = 'selesai' THEN COALESCE(selesai_pada, now()) "
                "END, revisi = revisi + 1 WHERE id = :i"),
                {"status": new.status, "catatan": new.catatan, "isi": new.isi, "pj": new.pj,
                 "tenggat": new.tenggat, "by": by, "i": int(fid)})
            _audit(conn, by, "tindak_lanjut", "ubah", cur.wilayah, diff(cur, new))
            row = conn.execute(text("SELECT * FROM peta_tindak_lanjut WHERE id = :i"),
                               {"i": int(fid)}).mappings().first()
        return _as_followup(row)

    def audit(self, limit=500):
        with self.engine.connect() as conn:
            df = pd.read_sql(text(
                "SELECT waktu, oleh, objek, aksi, wilayah, rincian::text AS rincian "
                "FROM peta_rapat_audit ORDER BY seq DESC LIMIT :n"), conn,
                params={"n": int(limit)})
        if len(df):
            df["waktu"] = pd.to_datetime(df["waktu"], utc=True).dt.tz_convert(
                pd.Timestamp.now().tz_localize(None).tz_localize("UTC").tz).dt.strftime(
                "%Y-%m-%d %H:%M:%S")
        return df[AUDIT_COLUMNS]
