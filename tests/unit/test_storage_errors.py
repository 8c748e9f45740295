"""A save onto a full disk, a folder without write permission or a read-only store
(issue 30, item 8): a named Indonesian message saying that nothing was saved and the
previous version stays in use, no server path, exit status 2 on the command line; the
previous version really stays current. Refusal messages carry file names, not paths."""
from __future__ import annotations

import errno
import os

import pandas as pd
import pytest

from geo import workspace
from geo.importers.cli import main
from geo.messages import save_failed, without_paths, write_failed
from geo.store import StorageError, WorkspaceError
from geo.store.files import FileStore
from tests.helpers import indicator_frame

SECRET = "/srv/peta-rahasia/workspace"
CASES = [(errno.ENOSPC, "Disk penuh: data tidak tersimpan; versi sebelumnya tetap dipakai."),
         (errno.EACCES, "Tidak ada izin menulis ke penyimpanan data: data tidak tersimpan; "
                        "versi sebelumnya tetap dipakai."),
         (errno.EROFS, "Penyimpanan data hanya-baca (read-only): data tidak tersimpan; "
                       "versi sebelumnya tetap dipakai.")]
CSV = ("ID Posyandu;Nama Posyandu;Kode Desa;Lintang;Bujur\n"
       "P1;Posyandu Satu;62.71.01.1001;-2,21;113,91\n"
       "P2;Posyandu Dua;62.71.01.1002;-2,22;113,91\n")


@pytest.fixture(autouse=True)
def _ws(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path / "ws"))


def _oserror(code: int) -> OSError:
    return OSError(code, os.strerror(code), f"{SECRET}/posyandu/current.json")


def _frame(n: int) -> pd.DataFrame:
    return indicator_frame(n)


def _fail_switch(monkeypatch, code):
    def broken(target, text):
        raise _oserror(code)
    monkeypatch.setattr(workspace, "write_text_atomic", broken)


@pytest.mark.parametrize("code, message", CASES)
def test_failed_switch_keeps_previous_version(monkeypatch, code, message):
    first = workspace.save("indikator", _frame(3), name="pertama.csv")
    _fail_switch(monkeypatch, code)
    with pytest.raises(StorageError) as info:
        FileStore().save("indikator", _frame(50_000), name="besar.csv")
    assert str(info.value).startswith(message)
    assert SECRET not in str(info.value) and info.value.errno == code
    assert isinstance(info.value, WorkspaceError)          # the app's save error box
    assert workspace.current("indikator").version == first.version
    # nothing of the failed save is left: no half version, no temporary folder
    assert [v.version for v in workspace.list_versions("indikator")] == [first.version]
    root = workspace._kind_dir("indikator")
    assert not list(root.glob(".tmp-*"))


@pytest.mark.parametrize("code, message", CASES)
def test_failed_data_write_keeps_previous_version(monkeypatch, code, message):
    first = workspace.save("indikator", _frame(3), name="pertama.csv")

    def fsync(fd):
        raise OSError(code, os.strerror(code))
    monkeypatch.setattr(workspace.os, "fsync", fsync)
    with pytest.raises(StorageError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        workspace.save("indikator", _frame(10), name="kedua.csv")
    assert workspace.current("indikator").version == first.version
    assert not list(workspace._kind_dir("indikator").glob(".tmp-*"))


def test_restore_on_read_only_store(monkeypatch):
    first = workspace.save("indikator", _frame(3), name="pertama.csv")
    second = workspace.save("indikator", _frame(4), name="kedua.csv")
    _fail_switch(monkeypatch, errno.EROFS)
    with pytest.raises(StorageError, match="hanya-baca"):
        workspace.restore("indikator", first.version)
    assert workspace.current("indikator").version == second.version


def _message(err: str) -> str:
    """stderr after the progress bars (tqdm lines ending in carriage returns/newlines)."""
    lines = [ln for ln in err.replace("\r", "\n").splitlines()
             if ln and not ln.startswith(("membaca", "memeriksa"))]
    return "\n".join(lines) + "\n" if lines else ""


@pytest.mark.parametrize("code, message", CASES)
def test_cli_save_on_full_disk_exits_2_with_the_named_message(tmp_path, capsys, monkeypatch,
                                                               code, message):
    src = tmp_path / "registri.csv"
    src.write_text(CSV, encoding="utf-8")
    assert main(["import", "posyandu", str(src), "--save"]) == 0
    first = workspace.current("posyandu").version
    capsys.readouterr()
    _fail_switch(monkeypatch, code)
    rc = main(["import", "posyandu", str(src), "--save"])
    err = _message(capsys.readouterr().err)
    assert rc == 2
    assert err.startswith("GAGAL menyimpan: " + message)
    assert SECRET not in err and "Traceback" not in err and "tak terduga" not in err
    assert workspace.current("posyandu").version == first


@pytest.mark.parametrize("code, reason", [(errno.ENOSPC, "Disk penuh"),
                                          (errno.EACCES, "Tidak ada izin menulis"),
                                          (errno.EROFS, "hanya-baca")])
def test_cli_report_and_export_write_failures(tmp_path, capsys, monkeypatch, code, reason):
    import geo.cache
    src = tmp_path / "registri.csv"
    src.write_text(CSV, encoding="utf-8")

    def broken(target, write):
        raise OSError(code, os.strerror(code), f"{SECRET}/tmp.csv")
    monkeypatch.setattr(geo.cache, "_atomic", broken)
    rc = main(["import", "posyandu", str(src), "--report", str(tmp_path / "laporan.csv")])
    err = _message(capsys.readouterr().err)
    assert rc == 2 and err.startswith("GAGAL: ") and reason in err
    assert "laporan.csv tidak tertulis" in err
    assert SECRET not in err and str(tmp_path) not in err
    rc = main(["import", "posyandu", str(src), "--out", str(tmp_path / "hasil.csv")])
    err = capsys.readouterr().err
    assert rc == 2 and "hasil.csv tidak tertulis" in err and SECRET not in err


def test_geo_main_names_disk_errors(monkeypatch, capsys):
    """Any command: a disk error escaping its handler is named (rc 2), not 'Galat tak
    terduga' (rc 3)."""
    import argparse

    from geo.cli import main as cli_main

    def full(args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), f"{SECRET}/peta.png")

    def parser():
        p = argparse.ArgumentParser()
        p.set_defaults(func=full)
        return p
    monkeypatch.setattr(cli_main, "build_parser", parser)
    assert cli_main.main([]) == 2
    assert capsys.readouterr().err == "GAGAL: Disk penuh: berkas peta.png tidak tertulis.\n"


def test_messages_without_paths():
    assert without_paths("'/tmp/peta-import-x1/peta.gpkg' not recognized as a supported "
                         "file format.") == "'peta.gpkg' not recognized as a supported file format."
    assert without_paths("EPSG:4326, http://a.b/c/d, 1/2") == "EPSG:4326, http://a.b/c/d, 1/2"
    assert save_failed(OSError(errno.EIO, "I/O error")).startswith(
        "Galat penyimpanan (EIO): data tidak tersimpan; versi sebelumnya tetap dipakai.")
    assert write_failed(OSError(errno.ENOSPC, "x", "/a/b/c.pdf")) == \
        "Disk penuh: berkas c.pdf tidak tertulis."


@pytest.mark.parametrize("name, data", [("batas.geojson", b"{ bukan json"),
                                        ("batas.kml", b"<kml><x")])
def test_refusals_name_the_file_not_the_server_path(tmp_path, name, data):
    """A broken map file: the reader's (GDAL's) error names the file only — the upload
    sits in a temporary folder on the server."""
    from geo.importers.boundaries import import_boundaries
    bad = tmp_path / name
    bad.write_bytes(data)
    res = import_boundaries(bad, "kabupaten")
    assert res.report.fatal.startswith("berkas peta tidak dapat dibaca (")
    assert name in res.report.fatal
    assert str(tmp_path) not in res.report.fatal and str(tmp_path) not in res.report.summary()


def test_raster_refusal_without_path(tmp_path):
    from geo.hazards.raster import RasterRefused, read_raster
    bad = tmp_path / "banjir.tif"
    bad.write_bytes(b"II*\x00 rusak")
    with pytest.raises(RasterRefused) as info:
        read_raster(bad, "banjir")
    assert str(tmp_path) not in str(info.value) and "banjir.tif" in str(info.value)


@pytest.mark.parametrize("code, reason", [(errno.ENOSPC, "Disk penuh"),
                                          (errno.EROFS, "Penyimpanan data hanya-baca (read-only)")])
def test_export_write_failures_named(tmp_path, capsys, monkeypatch, code, reason):
    import geo.cache
    from geo.export.cli import _write

    def broken(target, write):
        raise OSError(code, os.strerror(code))
    monkeypatch.setattr(geo.cache, "_atomic", broken)
    assert _write(tmp_path / "peta.png", b"png") is False
    assert capsys.readouterr().err == f"GAGAL: {reason}: berkas peta.png tidak tertulis.\n"
    assert not (tmp_path / "peta.png").exists()
