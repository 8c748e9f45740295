"""``python -m geo agenda …`` and ``python -m geo tindak-lanjut …``: the meeting's agenda
and follow-ups from the command line (the same store, checks and audit as the Rapat page).

With the PostGIS store a change needs a login (``--user``/``PETA_USER`` and
``PETA_PASSWORD``/``--password-file``), as an import does; with the file store ``--user``
only names the author.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from geo.importers.cells import to_csv_bytes, to_xlsx_bytes
from geo.meeting import records
from geo.meeting.figures import long_for_regions
from geo.meeting.links import parse_link
from geo.meeting.store import meeting_store
from geo.store import User, get_store
from geo.store.cli import login


def _user(args) -> User | None:
    if get_store().requires_login:
        return login(args)
    return User(args.user) if getattr(args, "user", None) else None


def _names():
    from geo.regions.boundaries import region_names
    return region_names()


# ---------------------------------------------------------------- agenda
def cmd_agenda_add(args) -> int:
    store = meeting_store()
    user = _user(args)
    agenda = store.agenda(args.nama) or records.new_agenda(args.nama, args.tanggal)
    agenda = records.add_item(agenda, args.tautan, args.judul or "", args.posisi)
    saved = store.save_agenda(agenda, user=user, base_revision=agenda.revisi)
    print(json.dumps({"agenda": saved.nama, "butir": len(saved.butir), "revisi": saved.revisi,
                      "tautan": saved.butir[min(args.posisi or len(saved.butir),
                                                len(saved.butir)) - 1].tautan},
                     ensure_ascii=False))
    return 0


def _agenda_rows(agenda) -> list[dict]:
    names = _names()
    return [{"posisi": i, "judul": b.judul or b.view.title(names.get(b.view.region)),
             "tautan": b.tautan} for i, b in enumerate(agenda.butir, start=1)]


def cmd_agenda_list(args) -> int:
    store = meeting_store()
    if args.nama:
        agenda = store.agenda(args.nama)
        if agenda is None:
            raise ValueError(f"agenda {args.nama} tidak ada")
        rows = _agenda_rows(agenda)
        if args.format == "json":
            print(json.dumps({"agenda": agenda.nama, "tanggal": agenda.tanggal,
                              "butir": rows}, ensure_ascii=False))
        else:
            print(f"{agenda.nama} ({agenda.tanggal}, {len(rows)} butir)")
            for r in rows:
                print(f"{r['posisi']:>3}. {r['judul']}  {r['tautan']}")
        return 0
    agendas = store.agendas()
    if args.format == "json":
        print(json.dumps([{"agenda": a.nama, "tanggal": a.tanggal, "butir": len(a.butir)}
                          for a in agendas], ensure_ascii=False))
    else:
        for a in agendas:
            print(f"{a.nama} ({a.tanggal}, {len(a.butir)} butir)")
    return 0


def cmd_agenda_remove(args) -> int:
    store = meeting_store()
    agenda = store.agenda(args.nama)
    if agenda is None:
        raise ValueError(f"agenda {args.nama} tidak ada")
    saved = store.save_agenda(records.remove_item(agenda, args.posisi), user=_user(args),
                              base_revision=agenda.revisi)
    print(json.dumps({"agenda": saved.nama, "butir": len(saved.butir)}, ensure_ascii=False))
    return 0


def cmd_agenda_move(args) -> int:
    store = meeting_store()
    agenda = store.agenda(args.nama)
    if agenda is None:
        raise ValueError(f"agenda {args.nama} tidak ada")
    saved = store.save_agenda(records.move_item(agenda, args.posisi, args.ke),
                              user=_user(args), base_revision=agenda.revisi)
    print(json.dumps({"agenda": saved.nama, "butir": [b.tautan for b in saved.butir]},
                     ensure_ascii=False))
    return 0


# ---------------------------------------------------------------- tindak lanjut
def cmd_tl_add(args) -> int:
    if args.region not in _names().index:
        raise ValueError(f"kode wilayah '{args.region}' tidak dikenal (contoh: 62.03)")
    item = records.new_followup(args.region, args.indikator, args.isi, args.pj, args.tenggat,
                                status=args.status, catatan=args.catatan or "",
                                tautan=args.tautan or "")
    user = _user(args)
    long = long_for_regions([item.indikator], [item.wilayah])
    survey = args.survei or (parse_link(args.tautan).period if args.tautan else None)
    saved = meeting_store().add_followup(records.with_figures(item, long, survey), user=user)
    print(json.dumps({"id": saved.id, "wilayah": saved.wilayah, "indikator": saved.indikator,
                      "nilai_saat_itu": saved.nilai_saat_itu,
                      "periode_saat_itu": saved.periode_saat_itu,
                      "peringkat_saat_itu": saved.then().rank_text() or None,
                      "tenggat": saved.tenggat, "status": saved.status,
                      "dibuat_oleh": saved.dibuat_oleh, "dibuat": saved.dibuat},
                     ensure_ascii=False))
    return 0


def list_table(items, today: dt.date | None = None):
    """The then/now table of ``items`` (the figures of today computed here)."""
    long = long_for_regions(sorted({i.indikator for i in items}) or ["stunting"],
                            sorted({i.wilayah for i in items}))
    return records.then_now(items, long, _names(), today)


def cmd_tl_list(args) -> int:
    items = records.select(meeting_store().followups(), region=args.region or "",
                           status=args.status, pj=args.pj or "", overdue=args.terlambat)
    table = list_table(items)
    if not args.semua_kolom:
        table = table[records.LIST_COLUMNS]
    if args.out:
        out = Path(args.out)
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("csv", "xlsx", "json"):
            raise ValueError("--out harus berakhiran .csv, .xlsx atau .json")
        payload = (to_xlsx_bytes(table, "tindak_lanjut") if fmt == "xlsx" else
                   to_csv_bytes(table) if fmt == "csv" else
                   table.to_json(orient="records", force_ascii=False).encode("utf-8"))
        out.write_bytes(payload)
        print(json.dumps({"berkas": str(out), "baris": len(table)}, ensure_ascii=False))
    elif args.format == "json":
        print(table.to_json(orient="records", force_ascii=False))
    else:
        sys.stdout.write(to_csv_bytes(table).decode("utf-8-sig"))
    return 0


def cmd_tl_update(args) -> int:
    if not any(v is not None for v in (args.status, args.catatan, args.tenggat, args.pj,
                                       args.isi)):
        raise ValueError("tidak ada yang diubah: beri --status, --catatan, --tenggat, --pj "
                         "atau --isi")
    user = _user(args)
    saved = meeting_store().update_followup(
        args.id, lambda item, by: records.changed(
            item, by=by, status=args.status, catatan=args.catatan, tenggat=args.tenggat,
            pj=args.pj, isi=args.isi), user=user)
    print(json.dumps({"id": saved.id, "status": saved.status, "catatan": saved.catatan,
                      "tenggat": saved.tenggat, "diubah_oleh": saved.diubah_oleh,
                      "diubah": saved.diubah, "selesai_pada": saved.selesai_pada or None},
                     ensure_ascii=False))
    return 0


def _login_args(p) -> None:
    p.add_argument("--user", help="pengguna (basis data: login editor/sekretariat/admin, "
                                  "kata sandi dari PETA_PASSWORD atau --password-file)")
    p.add_argument("--password-file", help="berkas berisi kata sandi")


def register(sub) -> None:
    """Add ``agenda`` and ``tindak-lanjut`` to ``python -m geo``."""
    p = sub.add_parser("agenda", help="agenda rapat: urutan tampilan peta yang disajikan")
    asub = p.add_subparsers(dest="agenda_command", required=True, metavar="AKSI")
    a = asub.add_parser("add", help="tambah tampilan (tautan dasbor) ke agenda")
    a.add_argument("nama")
    a.add_argument("--tautan", required=True,
                   help='tautan dasbor atau query-nya, mis. "/stunting?wilayah=62"')
    a.add_argument("--judul", help="judul butir (bawaan: halaman — wilayah)")
    a.add_argument("--posisi", type=int, help="sisipkan pada posisi ini (bawaan: di akhir)")
    a.add_argument("--tanggal", help="tanggal rapat TTTT-BB-HH (agenda baru; bawaan: hari ini)")
    _login_args(a)
    a.set_defaults(func=cmd_agenda_add)
    a = asub.add_parser("list", help="daftar agenda, atau butir satu agenda")
    a.add_argument("nama", nargs="?")
    a.add_argument("--format", choices=("text", "json"), default="text")
    a.set_defaults(func=cmd_agenda_list)
    a = asub.add_parser("remove", help="hapus butir pada POSISI (1 = pertama)")
    a.add_argument("nama")
    a.add_argument("posisi", type=int)
    _login_args(a)
    a.set_defaults(func=cmd_agenda_remove)
    a = asub.add_parser("move", help="pindahkan butir POSISI ke posisi KE")
    a.add_argument("nama")
    a.add_argument("posisi", type=int)
    a.add_argument("ke", type=int)
    _login_args(a)
    a.set_defaults(func=cmd_agenda_move)

    p = sub.add_parser("tindak-lanjut", help="tindak lanjut rapat: keputusan, PJ, tenggat, "
                                             "status, nilai saat itu vs kini")
    tsub = p.add_subparsers(dest="tl_command", required=True, metavar="AKSI")
    a = tsub.add_parser("add", help="catat keputusan untuk satu wilayah dan indikator")
    a.add_argument("--region", required=True, help="kode wilayah, mis. 62.03")
    a.add_argument("--indikator", required=True, help="mis. stunting_registri")
    a.add_argument("--isi", required=True, help="apa yang diputuskan")
    a.add_argument("--pj", required=True, help="instansi penanggung jawab")
    a.add_argument("--tenggat", required=True, help="tenggat TTTT-BB-HH")
    a.add_argument("--status", choices=records.STATUSES, default="baru")
    a.add_argument("--catatan")
    a.add_argument("--survei", help="periode nilai saat itu (bawaan: terbaru)")
    a.add_argument("--tautan", help="tampilan dasbor tempat keputusan diambil")
    _login_args(a)
    a.set_defaults(func=cmd_tl_add)
    a = tsub.add_parser("list", help="daftar tindak lanjut dengan nilai saat itu vs kini")
    a.add_argument("--region", help="wilayah beserta sub-wilayahnya, mis. 62")
    a.add_argument("--status", action="append", choices=records.STATUSES,
                   help="boleh diulang")
    a.add_argument("--pj", help="instansi (sebagian nama)")
    a.add_argument("--terlambat", action="store_true", help="hanya yang melewati tenggat")
    a.add_argument("--format", choices=("csv", "json"), default="csv")
    a.add_argument("--semua-kolom", action="store_true",
                   help="juga catatan, pembuat, waktu ubah, waktu selesai, tautan")
    a.add_argument("--out", help="tulis ke berkas .csv, .xlsx atau .json")
    a.set_defaults(func=cmd_tl_list)
    a = tsub.add_parser("update", help="ubah status/catatan/tenggat satu tindak lanjut")
    a.add_argument("id", type=int)
    a.add_argument("--status", choices=records.STATUSES)
    a.add_argument("--catatan")
    a.add_argument("--tenggat")
    a.add_argument("--pj")
    a.add_argument("--isi")
    _login_args(a)
    a.set_defaults(func=cmd_tl_update)
