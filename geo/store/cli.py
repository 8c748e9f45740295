"""``python -m geo db …`` — the PostGIS store from the command line.

    python -m geo db init | migrate | status
    python -m geo db user add NAME --role editor --scope 62.03 [--scope 62.04]
    python -m geo db user list | passwd NAME | set NAME [--role R] [--scope C …] | remove NAME
    python -m geo db unlock NAME        # after too many failed logins (audit: db logins)
    python -m geo db logins [--user NAME] [--limit N]

The database is ``PETA_DATABASE_URL`` (``postgresql+psycopg://user:pw@host/db``).
Passwords are read from ``PETA_PASSWORD`` (or ``--password-file``), else asked on the
terminal; they are stored only as argon2 hashes.
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from geo.store.base import ROLES


def _store():
    from geo.store import database_url
    url = database_url()
    if url is None:
        raise SystemExit("PETA_DATABASE_URL belum diatur (mis. "
                         "postgresql+psycopg://peta:SANDI@127.0.0.1/peta); tanpa basis data "
                         "aplikasi memakai folder workspace.")
    from geo.store.postgis import PostgisStore
    return PostgisStore(url, migrate=False)


def read_password(args, prompt: str = "Kata sandi: ", confirm: bool = False) -> str:
    """From ``--password-file``, ``PETA_PASSWORD``, or the terminal (never a flag value)."""
    path = getattr(args, "password_file", None)
    if path:
        with open(path, encoding="utf-8") as fh:
            return fh.readline().rstrip("\r\n")
    if os.environ.get("PETA_PASSWORD"):
        return os.environ["PETA_PASSWORD"]
    if not sys.stdin.isatty():
        raise SystemExit("kata sandi tidak diberikan: atur PETA_PASSWORD atau --password-file")
    pw = getpass.getpass(prompt)
    if confirm and getpass.getpass("Ulangi kata sandi: ") != pw:
        raise SystemExit("kata sandi tidak sama")
    return pw


def login(args):
    """The editor of a CLI import (``--user``/``PETA_USER`` and a password), or exit 2."""
    from geo.store.base import AuthError
    store = __import__("geo.store", fromlist=["get_store"]).get_store()
    name = getattr(args, "user", None) or os.environ.get("PETA_USER")
    if not name:
        raise AuthError("menyimpan ke basis data memerlukan login editor: --user NAMA (atau "
                        "PETA_USER) dan PETA_PASSWORD/--password-file")
    user = store.authenticate(name, read_password(args))
    if user is None:
        raise AuthError(f"login gagal untuk {name}: nama atau kata sandi salah")
    return user


def cmd_db(args) -> int:
    from geo.store.base import WorkspaceError
    try:
        return args.db_handler(args)
    except WorkspaceError as exc:
        print(f"GAGAL: {exc}", file=sys.stderr)
        return 2


def _init(args) -> int:
    store = _store()
    before, after = store.migrate()
    print(json.dumps({"schema_before": before, "schema_version": after}, ensure_ascii=False))
    if args.admin:
        pw = read_password(args, f"Kata sandi admin {args.admin}: ", confirm=True)
        store.add_user(args.admin, pw, "admin", [], by="db init")
        print(f"Admin {args.admin} dibuat.")
    return 0


def _status(args) -> int:
    print(json.dumps(_store().status(), ensure_ascii=False, indent=1))
    return 0


def _user(args) -> int:
    store = _store()
    action = args.user_action
    if action == "list":
        locked = store.locked_users()
        for u in store.list_users():
            rec = {"username": u.username, "role": u.role, "scope": list(u.scope),
                   "active": u.active}
            if u.username in locked:        # after too many failed logins
                rec["locked_until"] = locked[u.username].astimezone().isoformat(
                    timespec="seconds")
            print(json.dumps(rec, ensure_ascii=False))
        return 0
    if action == "add":
        pw = None if args.oidc else read_password(args, f"Kata sandi {args.name}: ",
                                                  confirm=True)
        u = store.add_user(args.name, pw, args.role, args.scope, by="cli")
        print(f"Pengguna {u.username} ({u.role}, wilayah: {', '.join(u.scope) or 'semua'}) dibuat.")
    elif action == "passwd":
        store.set_password(args.name, read_password(args, f"Kata sandi baru {args.name}: ",
                                                    confirm=True))
        print(f"Kata sandi {args.name} diganti.")
    elif action == "set":
        u = store.set_user(args.name, role=args.role, scope=args.scope or None,
                           active=None if args.active is None else args.active == "ya")
        print(f"Pengguna {u.username}: {u.role}, wilayah {', '.join(u.scope) or 'semua'}, "
              f"{'aktif' if u.active else 'nonaktif'}.")
    elif action == "remove":
        store.remove_user(args.name)
        print(f"Pengguna {args.name} dinonaktifkan.")
    return 0


def _unlock(args) -> int:
    was = _store().unlock_user(args.name, by="cli")
    print(f"Kunci akun {args.name} dibuka." if was else
          f"Akun {args.name} tidak sedang dikunci; hitungan gagal masuknya dihapus.")
    return 0


def _logins(args) -> int:
    events = _store().login_events(args.limit, args.user)
    for rec in events.to_dict("records"):
        print(json.dumps(rec, ensure_ascii=False, default=str))
    return 0


def register(subparsers) -> argparse.ArgumentParser:
    db = subparsers.add_parser("db", help="basis data PostgreSQL + PostGIS (PETA_DATABASE_URL)")
    sub = db.add_subparsers(dest="db_command", metavar="PERINTAH", required=True)
    p = sub.add_parser("init", help="buat/migrasikan skema (boleh diulang)")
    p.add_argument("--admin", metavar="NAMA", help="buat juga admin pertama")
    p.add_argument("--password-file")
    p.set_defaults(db_handler=_init)
    p = sub.add_parser("migrate", help="migrasikan skema ke versi terbaru")
    p.set_defaults(db_handler=_init, admin=None)
    p = sub.add_parser("status", help="versi skema, jumlah baris per jenis, versi yang dipakai "
                                      "(JSON)")
    p.set_defaults(db_handler=_status)
    p = sub.add_parser("unlock", help="buka kunci akun setelah terlalu banyak gagal masuk")
    p.add_argument("name", metavar="NAMA")
    p.set_defaults(db_handler=_unlock)
    p = sub.add_parser("logins", help="catatan gagal masuk, kunci dan buka kunci (JSON per "
                                      "baris, terbaru dulu)")
    p.add_argument("--user", metavar="NAMA")
    p.add_argument("--limit", type=int, default=200)
    p.set_defaults(db_handler=_logins)
    u = sub.add_parser("user", help="kelola editor dan admin")
    us = u.add_subparsers(dest="user_action", required=True, metavar="AKSI")
    p = us.add_parser("add", help="tambah pengguna")
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES, default="editor")
    p.add_argument("--scope", action="append", default=[], metavar="KODE",
                   help="kode wilayah kewenangan (boleh diulang), mis. 62.03")
    p.add_argument("--oidc", action="store_true", help="tanpa kata sandi (login lewat OIDC)")
    p.add_argument("--password-file")
    us.add_parser("list", help="daftar pengguna (JSON per baris)")
    p = us.add_parser("passwd", help="ganti kata sandi")
    p.add_argument("name")
    p.add_argument("--password-file")
    p = us.add_parser("set", help="ubah peran, wilayah atau status")
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES)
    p.add_argument("--scope", action="append", default=[], metavar="KODE")
    p.add_argument("--active", choices=("ya", "tidak"))
    p = us.add_parser("remove", help="nonaktifkan pengguna")
    p.add_argument("name")
    for p in (u,):
        p.set_defaults(db_handler=_user)
    db.set_defaults(func=cmd_db)
    return db
