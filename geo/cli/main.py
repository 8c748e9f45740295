"""Command line of the domain package: ``python -m geo <command> ...``.

Each capability keeps its commands beside its computation and registers them here:
geo.cli.registry (demo, validate, join, indicators, rank), geo.fetch.command, geo.importers.cli,
geo.export.cli, geo.store.cli, geo.connectivity.cli, geo.hazards.cli, geo.meeting.cli. Benchmarks are not
commands of the domain: they live in ``benchmarks/`` (``python -m benchmarks.<name>``).
"""
from __future__ import annotations

import argparse
import sys

from geo.cli import registry as registry_cli
from geo.config import DataDirError
from geo.connectivity import cli as siteplan_cli
from geo.export import cli as export_cli
from geo.fetch import command as fetch
from geo.hazards import cli as exposure_cli
from geo.importers import cli as import_cli
from geo.meeting import cli as meeting_cli
from geo.store import cli as store_cli
from geo.workspace import StorageError, WorkspaceError

COMMAND_MODULES = (registry_cli, fetch, import_cli, export_cli, store_cli, siteplan_cli,
                   exposure_cli, meeting_cli)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="Peta Posyandu: data wilayah, registri Posyandu, gabung spasial, "
                    "indikator dan peringkat. Data dibaca dari PETA_DATA_DIR.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="PERINTAH")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except DataDirError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except StorageError as exc:   # a store's refusal (disk full…) its command did not catch
        print(f"GAGAL: {exc}", file=sys.stderr)
        return 2
    except (ValueError, KeyError, FileNotFoundError, WorkspaceError) as exc:
        print(f"Galat: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:      # disk full, no permission, read-only: named, no path
        from geo.messages import write_failed
        print(f"GAGAL: {write_failed(exc)}", file=sys.stderr)
        return 2
    except Exception:  # never a traceback for a user; kept for the developer on request
        import logging
        import os
        logging.getLogger("geo.cli.main").debug("unexpected error", exc_info=True)
        if os.environ.get("PETA_DEBUG"):
            raise
        print("Galat tak terduga; jalankan ulang dengan PETA_DEBUG=1 untuk rinciannya.",
              file=sys.stderr)
        return 3
