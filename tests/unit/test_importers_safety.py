"""Upload safety: size limit, zip traversal, zip bombs, file types, XLSX formulas, export
neutralisation."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from geo.importers.boundaries import import_boundaries
from geo.importers.cells import neutralize_cells, to_csv_bytes, to_xlsx_bytes
from geo.importers.report import ImportRefused
from geo.importers.safety import check_size, check_zip, extract_zip, read_xlsx_rows


def _zip(path, entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in entries.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return path


@pytest.mark.parametrize("name,why", [
    ("../evil.shp", "mengandung '..' (keluar dari folder)"),
    ("batas/../../etc/evil.shp", "mengandung '..' (keluar dari folder)"),
    ("/etc/evil.shp", "jalur absolut"),
    ("C:\\Windows\\evil.shp", "jalur absolut"),
    ("..\\evil.dbf", "mengandung '..' (keluar dari folder)"),
])
def test_zip_traversal_refused(tmp_path, name, why):
    path = _zip(tmp_path / "batas.zip", {"batas/ok.shp": b"x", name: b"y"})
    with pytest.raises(ImportRefused) as exc:
        check_zip(path)
    assert str(exc.value) == (f"zip ditolak: entri '{name}' {why}. Berkas seperti ini dapat "
                              "menimpa berkas lain di server.")
    assert not (tmp_path / "evil.shp").exists()


def test_zip_with_dotdot_entry_via_importer_and_cli(tmp_path, capsys):
    from geo.importers.cli import main
    path = _zip(tmp_path / "batas.zip", {"../batas.shp": b"x"})
    res = import_boundaries(path, "kabupaten")
    assert res.report.fatal == ("zip ditolak: entri '../batas.shp' mengandung '..' (keluar dari "
                                "folder). Berkas seperti ini dapat menimpa berkas lain di server.")
    assert res.report.problems.to_dict("records") == [
        {"baris": 0, "kolom": "", "nilai": "", "pesan": res.report.fatal, "tingkat": "ditolak"}]
    assert main(["import", "boundaries", str(path), "--level", "kabupaten",
                 "--report", str(tmp_path / "r.csv")]) == 1
    assert "zip ditolak" in capsys.readouterr().err
    assert (tmp_path / "r.csv").exists()


def test_zip_bomb_by_ratio(tmp_path):
    path = tmp_path / "bom.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("batas.dbf", "w") as fh:
            block = b"\0" * (1 << 20)
            for _ in range(64):                 # 64 MB of zeros → ~64 KB
                fh.write(block)
    assert path.stat().st_size < 200_000
    res = import_boundaries(path, "kabupaten")
    assert res.report.fatal.startswith("zip ditolak: rasio kompresi ")
    assert res.report.fatal.endswith("tidak wajar (isi 64 MB dari 64 KB; kemungkinan 'zip bomb')")
    assert not res.report.ok


def test_zip_bomb_by_total_size(tmp_path, monkeypatch):
    path = _zip(tmp_path / "besar.zip", {"a.shp": b"1" * (3 << 20)})
    monkeypatch.setenv("PETA_MAX_UNZIPPED_MB", "2")
    with pytest.raises(ImportRefused, match=r"isi setelah diekstrak 3 MB, melebihi batas 2 MB"):
        check_zip(path)
    with pytest.raises(ImportRefused):
        extract_zip(path, tmp_path / "out")
    assert not (tmp_path / "out" / "a.shp").exists()


def test_extract_zip_keeps_only_vector_members(tmp_path):
    path = _zip(tmp_path / "campur.zip", {"d/a.shp": b"1", "d/a.dbf": b"2", "d/run.exe": b"MZ",
                                          "__MACOSX/d/._a.shp": b"x", "d/inner.zip": b"PK"})
    got = sorted(p.relative_to(tmp_path / "out").as_posix()
                 for p in extract_zip(path, tmp_path / "out"))
    assert got == ["d/a.dbf", "d/a.shp"]


def test_upload_size_limit(tmp_path, monkeypatch):
    big = tmp_path / "besar.csv"
    big.write_bytes(b"a;b\n" + b"1;2\n" * (300_000))      # 1.2 MB
    monkeypatch.setenv("PETA_MAX_UPLOAD_MB", "1")
    with pytest.raises(ImportRefused, match=r"^berkas terlalu besar \(1 MB\); batas unggahan 1 MB"):
        check_size(big)
    from geo.importers.posyandu import import_posyandu
    assert import_posyandu(big).report.fatal.startswith("berkas terlalu besar")
    monkeypatch.delenv("PETA_MAX_UPLOAD_MB")
    check_size(big)                                        # default 200 MB
    with pytest.raises(ImportRefused, match="berkas kosong"):
        check_size(0)


def test_xlsx_formulas_are_never_evaluated(tmp_path):
    path = tmp_path / "rumus.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["id", "nama", "hitung"])
    wb.active.append(["1", "Posyandu A", "=1+1"])
    wb.active.append(["2", "Posyandu B", '=WEBSERVICE("http://example.invalid")'])
    wb.save(path)
    rows, sheet, sheets, dropped = read_xlsx_rows(path)
    # (row number, cells up to the last filled one): the formulas read as empty
    assert rows == [(1, ["id", "nama", "hitung"]), (2, ["1", "Posyandu A"]),
                    (3, ["2", "Posyandu B"])]
    assert sheets == [sheet] and dropped == 0


def test_neutralize_cells_and_exports():
    df = pd.DataFrame({"nama": ["=HYPERLINK(\"http://x\")", "+62 811", "-2.5", "@SUM(A1)",
                                "Posyandu Biasa", "\tx", None],
                       "lat": [-2.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    out = neutralize_cells(df)
    assert out["nama"].tolist()[:6] == ["'=HYPERLINK(\"http://x\")", "'+62 811", "-2.5",
                                        "'@SUM(A1)", "Posyandu Biasa", "'\tx"]
    assert pd.isna(out["nama"].iloc[6])
    assert out["lat"].tolist() == df["lat"].tolist()
    text = to_csv_bytes(df).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=" not in text
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(df)))
    values = [c.value for c in wb.active["A"]]
    assert values[1] == "'=HYPERLINK(\"http://x\")"
    assert all(c.data_type != "f" for c in wb.active["A"])


def test_csv_for_people_in_indonesian_has_decimal_commas_and_semicolons():
    df = pd.DataFrame({"nama": ["=1+1", "Kapuas"], "nilai": [22.1, 1192.5], "jumlah": [3, 1192]})
    people = to_csv_bytes(df, lang="id").decode("utf-8-sig").splitlines()
    assert people == ["nama;nilai;jumlah", "'=1+1;22,1;3", "Kapuas;1192,5;1192"]
    machine = to_csv_bytes(df).decode("utf-8-sig").splitlines()
    assert machine == ["nama,nilai,jumlah", "'=1+1,22.1,3", "Kapuas,1192.5,1192"]
    back = pd.read_csv(io.BytesIO(to_csv_bytes(df, lang="id")), sep=";", decimal=",",
                       encoding="utf-8-sig")
    assert back["nilai"].tolist() == [22.1, 1192.5]
