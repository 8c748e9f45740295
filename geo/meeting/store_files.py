"""Agendas and follow-ups in the workspace folder (the file store): ``rapat/rapat.json``
holds every agenda and follow-up, rewritten atomically under an exclusive lock after the
revision check; ``rapat/audit.jsonl`` gets one line per change."""
from __future__ import annotations

import contextlib
import dataclasses
import json
from dataclasses import replace

import pandas as pd

from geo.cache import write_text_atomic
from geo.config import workspace_dir
from geo.meeting.access import (
    AUDIT_COLUMNS,
    MeetingStore,
    audit_row,
    conflict_agenda,
    conflict_followup,
    diff,
    writer,
)
from geo.meeting.records import Agenda, FollowUp, MeetingError, now_text


class FileMeetingStore(MeetingStore):
    """``<workspace>/rapat/rapat.json`` (every agenda and follow-up, one document) and
    ``audit.jsonl``; each change reads, checks and rewrites the document under a lock."""
    backend = "files"

    @property
    def root(self):
        return workspace_dir() / "rapat"

    @contextlib.contextmanager
    def _locked(self):
        import fcntl
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def _read(self) -> dict:
        try:
            doc = json.loads((self.root / "rapat.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            doc = {}
        doc.setdefault("agenda", {})
        doc.setdefault("tindak_lanjut", [])
        doc.setdefault("next_id", 1)
        return doc

    def _write(self, doc: dict, audit: dict) -> None:
        write_text_atomic(self.root / "rapat.json", json.dumps(doc, ensure_ascii=False, indent=1))
        with open(self.root / "audit.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(audit, ensure_ascii=False) + "\n")

    def agendas(self):
        return sorted((Agenda.from_dict(d) for d in self._read()["agenda"].values()),
                      key=lambda a: (a.tanggal, a.nama), reverse=True)

    def save_agenda(self, agenda, *, user=None, base_revision=None):
        by = writer(self.data_store, user)
        with self._locked():
            doc = self._read()
            old = doc["agenda"].get(agenda.nama)
            cur = Agenda.from_dict(old) if old else None
            if base_revision is not None and (cur.revisi if cur else 0) != base_revision:
                raise conflict_agenda(agenda.nama, cur)
            saved = replace(agenda, revisi=(cur.revisi if cur else 0) + 1, diubah=now_text(),
                            diubah_oleh=by, dibuat_oleh=cur.dibuat_oleh if cur else by)
            doc["agenda"][agenda.nama] = saved.as_dict()
            self._write(doc, audit_row(by, "agenda", "ubah" if cur else "tambah", "",
                                        {"nama": agenda.nama, "butir": len(agenda.butir)}))
        return saved

    def delete_agenda(self, name, *, user=None, base_revision=None):
        by = writer(self.data_store, user)
        with self._locked():
            doc = self._read()
            old = doc["agenda"].get(name)
            if old is None:
                raise MeetingError(f"agenda {name} tidak ada")
            if base_revision is not None and int(old["revisi"]) != base_revision:
                raise conflict_agenda(name, Agenda.from_dict(old))
            del doc["agenda"][name]
            self._write(doc, audit_row(by, "agenda", "hapus", "", {"nama": name}))

    def followups(self):
        return [_followup(d) for d in self._read()["tindak_lanjut"]]

    def add_followup(self, item, *, user=None):
        by = writer(self.data_store, user, item.wilayah)
        with self._locked():
            doc = self._read()
            now = now_text()
            saved = replace(item, id=int(doc["next_id"]), dibuat=now, dibuat_oleh=by,
                            diubah=now, diubah_oleh=by, revisi=1)
            doc["next_id"] = saved.id + 1
            doc["tindak_lanjut"].append(dataclasses.asdict(saved))
            self._write(doc, audit_row(by, "tindak_lanjut", "tambah", item.wilayah,
                                        {"id": saved.id, "isi": item.isi, "pj": item.pj,
                                         "tenggat": item.tenggat, "status": item.status}))
        return saved

    def update_followup(self, fid, change, *, user=None, base_revision=None):
        with self._locked():
            doc = self._read()
            pos = next((k for k, d in enumerate(doc["tindak_lanjut"]) if d["id"] == int(fid)),
                       None)
            if pos is None:
                raise MeetingError(f"tindak lanjut #{fid} tidak ada")
            cur = _followup(doc["tindak_lanjut"][pos])
            by = writer(self.data_store, user, cur.wilayah)
            if base_revision is not None and cur.revisi != base_revision:
                raise conflict_followup(cur)
            saved = change(cur, by)
            doc["tindak_lanjut"][pos] = dataclasses.asdict(saved)
            self._write(doc, audit_row(by, "tindak_lanjut", "ubah", cur.wilayah,
                                        diff(cur, saved)))
        return saved

    def audit(self, limit=500):
        try:
            lines = (self.root / "audit.jsonl").read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        rows = []
        for line in reversed(lines[-limit:]):
            with contextlib.suppress(ValueError):
                rows.append(json.loads(line))
        return pd.DataFrame(rows, columns=AUDIT_COLUMNS)


_FIELDS = {f.name for f in dataclasses.fields(FollowUp)}


def _followup(d: dict) -> FollowUp:
    """A stored follow-up (fields this version does not know are left out)."""
    return FollowUp(**{k: v for k, v in d.items() if k in _FIELDS})
