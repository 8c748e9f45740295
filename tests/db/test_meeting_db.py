"""Meeting records in the PostGIS store (issue 27) on a real PostgreSQL + PostGIS: add,
list with then/now, overdue, update with version checks, scope refusal for an editor of
another region, the secretariat role, audit rows, and the command line with a login."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from geo import datasets
from geo.meeting import records
from geo.meeting.store import meeting_store
from geo.meeting.store_db import PostgisMeetingStore
from geo.store import AuthError, User
from tests.db.fixtures import PASSWORDS, registry

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def long():
    return datasets.long_table()


def _item(region="62.03", due="2026-01-31", isi="Audit gizi balita"):
    return records.new_followup(region, "stunting", isi, "Dinkes Kapuas", due,
                                tautan=f"/stunting?wilayah={region[:2]}")


def test_add_list_then_now_overdue_update_audit(store, long):
    ms = meeting_store(store)
    assert isinstance(ms, PostgisMeetingStore)
    kapuas = User("kapuas")
    first = ms.add_followup(records.with_figures(_item(), long, "SSGI 2022"), user=kapuas)
    later = ms.add_followup(_item(due=(dt.date.today() + dt.timedelta(days=9)).isoformat(),
                                  isi="Pelatihan kader"), user=User("admin"))
    assert first.dibuat_oleh == "kapuas" and later.dibuat_oleh == "admin"
    assert (first.periode_saat_itu, first.nilai_saat_itu) == ("SSGI 2022", pytest.approx(20.1))
    assert first.peringkat_saat_itu is not None and first.dari_saat_itu >= first.peringkat_saat_itu
    items = ms.followups()
    assert [i.id for i in records.select(items, region="62")] == [first.id, later.id]
    assert [i.id for i in records.select(items, overdue=True)] == [first.id]
    table = records.then_now(items, long)
    row = table.loc[table["id"] == first.id].iloc[0]
    assert row["periode_kini"] == "SSGI 2024" and row["nilai_kini"] == pytest.approx(22.5)
    assert row["peringkat_saat_itu"] == first.then().rank_text() and bool(row["terlambat"])
    done = ms.update_followup(first.id, lambda i, by: records.changed(i, by=by, status="selesai",
                                                                      catatan="5 desa"),
                              user=kapuas, base_revision=first.revisi)
    assert done.status == "selesai" and done.selesai_pada and done.diubah_oleh == "kapuas"
    assert not done.overdue()
    with pytest.raises(records.MeetingConflict):
        ms.update_followup(first.id, lambda i, by: records.changed(i, by=by, status="baru"),
                           user=kapuas, base_revision=first.revisi)
    audit = ms.audit()
    assert list(audit["aksi"]) == ["ubah", "tambah", "tambah"]
    assert list(audit["oleh"]) == ["kapuas", "admin", "kapuas"]
    assert json.loads(audit["rincian"].iloc[0]) == {"id": first.id, "status": "selesai",
                                                    "catatan": "5 desa"}


def test_scope_refusal_viewers_and_the_secretariat(store):
    ms = meeting_store(store)
    with pytest.raises(AuthError, match="di luar wilayah kewenangan"):
        ms.add_followup(_item("62.03"), user=User("palangka"))          # editor of 62.71
    with pytest.raises(AuthError, match="login"):
        ms.add_followup(_item("62.03"), user=None)                       # a viewer
    mine = ms.add_followup(_item("62.03"), user=User("kapuas"))
    with pytest.raises(AuthError, match="di luar wilayah kewenangan"):
        ms.update_followup(mine.id, lambda i, by: records.changed(i, by=by, status="selesai"),
                           user=User("palangka"))
    assert ms.followup(mine.id).status == "baru"
    store.add_user("sekretariat", "sekretariat-rahasia", "sekretariat", [])
    sek = ms.add_followup(_item("62.71"), user=User("sekretariat"))
    assert sek.dibuat_oleh == "sekretariat"
    saved = ms.save_agenda(records.add_item(records.new_agenda("Rakor"), "/stunting?wilayah=62"),
                           user=User("sekretariat"), base_revision=0)
    assert saved.revisi == 1 and ms.agenda("Rakor").butir[0].tautan == "/stunting?wilayah=62"
    with pytest.raises(records.MeetingConflict):
        ms.save_agenda(saved, user=User("kapuas"), base_revision=0)
    # the secretariat records meetings but never imports data
    with pytest.raises(AuthError, match="bukan editor"):
        store.save("posyandu", registry("62.03", 2), name="x.csv", user=User("sekretariat"))
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT oleh, objek, aksi FROM peta_rapat_audit "
                                 "ORDER BY seq")).all()
    assert [tuple(r) for r in rows] == [("kapuas", "tindak_lanjut", "tambah"),
                                        ("sekretariat", "tindak_lanjut", "tambah"),
                                        ("sekretariat", "agenda", "tambah")]


def test_cli_needs_a_login_and_prints_then(store):
    env = {**os.environ, "PETA_PASSWORD": PASSWORDS["kapuas"]}
    base = [sys.executable, "-m", "geo", "tindak-lanjut", "add", "--region", "62.03",
            "--indikator", "stunting", "--isi", "Audit gizi", "--pj", "Dinkes Kapuas",
            "--tenggat", "2027-01-31"]
    res = subprocess.run(base + ["--user", "kapuas"], cwd=REPO, capture_output=True, text=True,
                         env=env, timeout=300)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["id"] == 1 and out["periode_saat_itu"] == "SSGI 2024" and out["nilai_saat_itu"]
    res = subprocess.run(base + ["--user", "palangka"], cwd=REPO, capture_output=True,
                         text=True, env={**env, "PETA_PASSWORD": PASSWORDS["palangka"]},
                         timeout=300)
    assert res.returncode == 2 and "di luar wilayah kewenangan" in res.stderr
    assert "Traceback" not in res.stderr
    res = subprocess.run([sys.executable, "-m", "geo", "tindak-lanjut", "list", "--format",
                          "json"], cwd=REPO, capture_output=True, text=True, env=env,
                         timeout=300)
    assert [r["dibuat"] != "" and r["pj"] for r in json.loads(res.stdout)] == ["Dinkes Kapuas"]


def _rapat(user=None):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(REPO / "pages" / "rapat.py"), default_timeout=180)
    if user is not None:
        at.session_state["peta_user"] = user
    return at.run()


def test_rapat_page_viewer_reads_and_editor_of_another_region_is_refused(store):
    ms = meeting_store(store)
    ms.add_followup(_item("62.03", isi="Audit gizi balita"), user=User("kapuas"))
    viewer = _rapat()
    assert not viewer.exception
    listed = viewer.table[0].value
    assert "Audit gizi balita" in listed.to_string() and "⚠" in listed.to_string()
    assert not [b for b in viewer.button if b.label in ("Simpan perubahan", "Tambah")]
    assert "Masuk" not in [e.value for e in viewer.error]
    other = _rapat(store.get_user("palangka"))
    other.selectbox(key="tl-u-status").set_value("selesai")
    next(b for b in other.button if b.label == "Simpan perubahan").click().run()
    assert any("di luar wilayah kewenangan" in e.value for e in other.error)
    assert ms.followup(1).status == "baru"
    owner = _rapat(store.get_user("kapuas"))
    owner.selectbox(key="tl-u-status").set_value("selesai")
    next(b for b in owner.button if b.label == "Simpan perubahan").click().run()
    assert not owner.exception and ms.followup(1).status == "selesai"
    assert [s.value for s in owner.success] == ["Tindak lanjut #1 diperbarui."]
