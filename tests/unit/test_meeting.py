"""Pokjanal meeting records on the file store (issue 27): agenda links and items, follow-ups
with their figures then and now, overdue, updates with version checks, the audit trail,
the command line and the pack that follows the agenda."""
from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest

from geo import datasets
from geo.cli.main import main
from geo.indicators import published
from geo.meeting import records
from geo.meeting.figures import figures
from geo.meeting.links import LinkError, parse_link
from geo.meeting.store import meeting_store
from geo.meeting.store_files import FileMeetingStore
from geo.stats import ranking


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path / "ws"))
    return tmp_path / "ws"


@pytest.fixture(scope="module")
def long():
    return datasets.long_table()         # published values (stunting surveys)


def _published(code: str, period: str) -> float:
    t = published.table()
    return float(t.loc[(t["indicator"] == "stunting") & (t["code"] == code)
                       & (t["period"] == period), "value"].iloc[0])


def _rank(code: str, period: str) -> tuple[int, int]:
    t = published.table()
    rows = t.loc[(t["indicator"] == "stunting") & (t["level"] == "kabupaten")
                 & (t["period"] == period) & t["code"].str.startswith("62.")]
    ranked = ranking.rank_frame(rows[["code", "value"]].reset_index(drop=True), True)
    return ranking.position(ranked, code)


def test_links_keep_the_view_and_refuse_what_is_not_one():
    v = parse_link("http://peta.local:8501/stunting?wilayah=62.03&survei=SSGI+2022&x=1")
    assert (v.page, v.region, v.period, v.indicator) == ("stunting", "62.03", "SSGI 2022",
                                                         "stunting")
    assert v.link() == "/stunting?wilayah=62.03&survei=SSGI+2022"
    assert parse_link("wilayah=62").page == "ringkasan"
    assert parse_link("/?wilayah=62").page == "ringkasan"
    for bad in ("/kelola_data?wilayah=62", "/stunting?wilayah=62.x", ""):
        with pytest.raises(LinkError):
            parse_link(bad)


def test_agenda_items_add_move_edit_remove():
    a = records.new_agenda("Rakor Desember", "2026-12-10")
    a = records.add_item(a, "/stunting?wilayah=62")
    a = records.add_item(a, "/kader?wilayah=62.03", "Kader Kapuas")
    a = records.add_item(a, "/peringkat?wilayah=62", at=1)
    assert [b.tautan for b in a.butir] == ["/peringkat?wilayah=62", "/stunting?wilayah=62",
                                          "/kader?wilayah=62.03"]
    a = records.move_item(a, 1, 3)
    assert a.butir[2].tautan == "/peringkat?wilayah=62"
    a = records.edit_item(a, 2, title="Kader di Kapuas")
    assert a.butir[1].judul == "Kader di Kapuas"
    a = records.remove_item(a, 1)
    assert [b.tautan for b in a.butir] == ["/kader?wilayah=62.03", "/peringkat?wilayah=62"]
    with pytest.raises(records.MeetingError, match="posisi 5"):
        records.remove_item(a, 5)


def test_figures_are_the_pages_value_and_rank(long):
    then = figures(long, "stunting", "62.03", "SSGI 2022")
    now = figures(long, "stunting", "62.03")
    assert then.periode == "SSGI 2022" and now.periode == "SSGI 2024"
    assert then.nilai == pytest.approx(_published("62.03", "SSGI 2022"))
    assert now.nilai == pytest.approx(_published("62.03", "SSGI 2024"))
    assert (then.peringkat, then.dari) == _rank("62.03", "SSGI 2022")
    assert (now.peringkat, now.dari) == _rank("62.03", "SSGI 2024")


def test_file_store_add_list_then_now_overdue_update_audit(ws, long):
    store = meeting_store()
    assert isinstance(store, FileMeetingStore)
    item = records.new_followup("62.03", "stunting", "Audit gizi balita di 5 desa",
                                "Dinkes Kapuas", "2026-01-31", tautan="/stunting?wilayah=62")
    first = store.add_followup(records.with_figures(item, long, "SSGI 2022"))
    second = store.add_followup(records.new_followup(
        "62.71", "stunting", "Data kader", "DPMD Kota", dt.date.today() + dt.timedelta(days=30)))
    assert (first.id, second.id) == (1, 2)
    assert first.dibuat_oleh == "tanpa login" and first.dibuat
    # list: region with its sub-regions, then vs now, overdue
    today = dt.date(2026, 12, 5)
    assert [i.id for i in records.select(store.followups(), region="62")] == [1, 2]
    assert [i.id for i in records.select(store.followups(), region="62.03")] == [1]
    assert [i.id for i in records.select(store.followups(), overdue=True, today=today)] == [1]
    assert [i.id for i in records.select(store.followups(), pj="dinkes")] == [1]
    table = records.then_now(store.followups(), long, today=today)
    row = table.loc[table["id"] == 1].iloc[0]
    assert row["periode_saat_itu"] == "SSGI 2022" and row["periode_kini"] == "SSGI 2024"
    assert row["nilai_saat_itu"] == pytest.approx(20.1)
    assert row["nilai_kini"] == pytest.approx(22.5)
    k, n = _rank("62.03", "SSGI 2022")
    assert row["peringkat_saat_itu"] == f"{k} dari {n}"
    assert bool(row["terlambat"]) is True
    assert bool(table.loc[table["id"] == 2, "terlambat"].iloc[0]) is False
    # update: closing records when; a stale revision is refused
    done = store.update_followup(1, lambda i, by: records.changed(i, by=by, status="selesai",
                                                                  catatan="sudah"),
                                 base_revision=first.revisi)
    assert done.status == "selesai" and done.selesai_pada and done.revisi == 2
    assert not done.overdue(today)
    with pytest.raises(records.MeetingConflict):
        store.update_followup(1, lambda i, by: records.changed(i, by=by, status="berjalan"),
                              base_revision=first.revisi)
    assert store.followup(1).status == "selesai"
    audit = store.audit()
    assert list(audit["aksi"]) == ["ubah", "tambah", "tambah"]       # newest first
    assert set(audit["objek"]) == {"tindak_lanjut"}
    assert json.loads(audit["rincian"].iloc[0])["status"] == "selesai"


def test_file_store_agenda_versions(ws):
    store = meeting_store()
    a = records.add_item(records.new_agenda("Rakor"), "/stunting?wilayah=62")
    saved = store.save_agenda(a, base_revision=0)
    assert saved.revisi == 1
    with pytest.raises(records.MeetingConflict):          # someone else created it first
        store.save_agenda(a, base_revision=0)
    again = store.save_agenda(records.add_item(saved, "/kader?wilayah=62"), base_revision=1)
    assert [b.tautan for b in store.agenda("Rakor").butir] == [
        "/stunting?wilayah=62", "/kader?wilayah=62"] and again.revisi == 2
    store.delete_agenda("Rakor", base_revision=2)
    assert store.agenda("Rakor") is None
    assert list(store.audit()["aksi"]) == ["hapus", "ubah", "tambah"]


def test_export_cells_are_never_formulas(ws, long):
    from geo.importers.cells import to_csv_bytes, to_xlsx_bytes
    store = meeting_store()
    store.add_followup(records.new_followup("62.03", "stunting", "=HYPERLINK(\"x\")",
                                            "@Dinkes", "2027-01-31"))
    table = records.then_now(store.followups(), long)
    csv = to_csv_bytes(table).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "'@Dinkes" in csv
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(table)))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert "'=HYPERLINK(\"x\")" in cells and not any(
        isinstance(c, str) and c.startswith("=") for c in cells)


def test_cli_agenda_and_tindak_lanjut(ws, capsys):
    assert main(["agenda", "add", "Rakor Des", "--tautan", "/stunting?wilayah=62"]) == 0
    assert main(["agenda", "add", "Rakor Des", "--tautan",
                 "wilayah=62.03&indikator=kader_per_posyandu"]) == 0
    capsys.readouterr()
    assert main(["agenda", "list", "Rakor Des", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [b["tautan"] for b in listed["butir"]] == [
        "/stunting?wilayah=62", "/ringkasan?wilayah=62.03&indikator=kader_per_posyandu"]
    assert main(["agenda", "remove", "Rakor Des", "1"]) == 0
    assert main(["agenda", "remove", "Rakor Des", "7"]) == 2
    capsys.readouterr()
    assert main(["tindak-lanjut", "add", "--region", "62.03", "--indikator", "stunting",
                 "--isi", "Audit gizi", "--pj", "Dinkes Kapuas", "--tenggat", "2020-01-31",
                 "--survei", "SKI 2023"]) == 0
    added = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert added["id"] == 1 and added["periode_saat_itu"] == "SKI 2023"
    assert added["nilai_saat_itu"] == pytest.approx(_published("62.03", "SKI 2023"))
    assert main(["tindak-lanjut", "list", "--region", "62", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert list(table.columns) == records.LIST_COLUMNS
    row = table.iloc[0]
    assert (row["periode_saat_itu"], row["periode_kini"], row["terlambat"]) == (
        "SKI 2023", "SSGI 2024", "True")
    assert main(["tindak-lanjut", "update", "1", "--status", "selesai", "--catatan",
                 "selesai 5 desa"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "selesai"
    assert main(["tindak-lanjut", "list", "--status", "baru", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["tindak-lanjut", "add", "--region", "99.99", "--indikator", "stunting",
                 "--isi", "x", "--pj", "y", "--tenggat", "2027-01-01"]) == 2
    assert "tidak dikenal" in capsys.readouterr().err


def test_pack_follows_the_agenda_and_ends_with_tindak_lanjut(ws, tmp_path, capsys):
    from pptx import Presentation
    store = meeting_store()
    agenda = records.new_agenda("Rakor Kalteng", dt.date.today())
    agenda = records.add_item(agenda, "/kader?wilayah=62&indikator=kader_per_posyandu",
                              "Kader per Posyandu")
    agenda = records.add_item(agenda, "/stunting?wilayah=62&survei=SSGI+2024")
    store.save_agenda(agenda)
    store.add_followup(records.new_followup("62.03", "stunting", "Audit gizi balita",
                                            "Dinkes Kapuas", "2020-06-30"))
    closed = store.add_followup(records.new_followup("62.71", "stunting", "Rembuk stunting",
                                                     "Bappeda Kota", "2027-06-30"))
    store.update_followup(closed.id, lambda i, by: records.changed(i, by=by, status="selesai"))
    out = tmp_path / "rapat.pptx"
    assert main(["pack", "--region", "62", "--agenda", "Rakor Kalteng", "--out", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed["tindak_lanjut_terbuka"] == [1]
    # the kader map is drawn from the SAMPLE registry; the follow-ups' figures are published
    assert "1. Kader per Posyandu" in printed["slide_data_sampel"]
    assert "Tindak lanjut — Kalimantan Tengah" not in printed["slide_data_sampel"]
    prs = Presentation(str(out))
    texts = [[sh.text_frame.text if sh.has_text_frame else
              " ".join(c.text for r in sh.table.rows for c in r.cells) if sh.has_table else ""
              for sh in s.shapes] for s in prs.slides]
    titles = [t[0] for t in texts]
    assert titles[1].startswith("1. Kader per Posyandu")
    assert titles[2].startswith("2. Stunting — Kalimantan Tengah")
    assert titles[-1] == "Tindak lanjut — Kalimantan Tengah"
    assert len(prs.slides) == 4
    assert [type(sh).__name__ for sh in prs.slides[1].shapes].count("Picture") == 1
    last = " ".join(texts[-1])
    assert "Audit gizi balita" in last and "Dinkes Kapuas" in last and "TERLAMBAT" in last
    assert "30 Juni 2020" in last and "→" in last
    assert "Selesai" in last and "Rembuk stunting" in last     # closed since (no earlier meeting)
