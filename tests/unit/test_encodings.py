"""Text encodings other than UTF-8 and Windows-1252 (issue 30, item 8): a Shift-JIS registry
is read as Shift-JIS, not as Latin-1 mojibake, and a warning names the encoding; other East
Asian code pages likewise; the Latin-1 fallback is named; CSV columns beyond 256 are counted
in a note, as for XLSX."""
from __future__ import annotations

from pathlib import Path

import pytest
import shapely

from geo.importers import encoding as enc
from geo.importers.posyandu import import_posyandu
from geo.importers.table import MAX_COLUMNS, read_cells

KNOWN = {"62.71.01.1001", "62.71.01.1002"}
NAMES_JA = ["Posyandu さくら", "Posyandu ひまわり", "ポシヤンドゥ 東京", "山田 花子"]


def _registry(names: list[str]) -> str:
    rows = ["id;nama;kode_desa;lat;lon;jumlah_kader"]
    rows += [f"J{i};{n};62.71.01.1001;-2.2{i};113.9{i};5" for i, n in enumerate(names)]
    return "\r\n".join(rows) + "\r\n"


@pytest.fixture(autouse=True)
def _workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path / "ws"))


def test_shift_jis_registry_names_read_and_encoding_named(tmp_path):
    path = tmp_path / "registri-jepang.csv"
    path.write_bytes(_registry(NAMES_JA).encode("shift_jis"))
    res = import_posyandu(path, known_villages=KNOWN, land=[shapely.box(90, -15, 145, 10)])
    rep = res.report
    assert rep.fatal is None and rep.accepted == 4
    assert sorted(res.data["nama"]) == sorted(NAMES_JA)
    assert rep.counts["peringatan"] >= 1
    warning = rep.problems.loc[rep.problems["baris"] == 0].iloc[0]
    assert warning["tingkat"] == "peringatan" and warning["nilai"].startswith("Shift-JIS")
    assert warning["pesan"].startswith("Berkas bukan UTF-8: pengodean teks terdeteksi "
                                       "Shift-JIS (Jepang, Windows-932)")
    assert any("Shift-JIS" in n for n in rep.notes)


@pytest.mark.parametrize("codec, names, expected", [
    ("shift_jis", NAMES_JA, "cp932"),
    ("gbk", ["卫生站 北京", "卫生站 上海", "张伟"], "gb18030"),
    ("big5", ["衛生站 臺北", "衛生站 高雄", "陳小明"], "big5"),
    ("euc-kr", ["보건소 서울", "보건소 부산", "김민수"], "cp949"),
    ("cp1252", ["Posyandu Mawar – Désa Sukamaju", "Posyandu “Melati”", "Ñusa"], "cp1252"),
    ("cp1252", ["Posto de Saúde São João", "Conceição", "Jürgen Größe"], "cp1252"),
])
def test_detected_code_page(tmp_path, codec, names, expected):
    path = tmp_path / "r.csv"
    data = _registry(names).encode(codec)
    path.write_bytes(data)
    assert enc.detect_encoding(path) == expected
    # the heuristic (used without charset-normalizer) agrees
    candidates = [c for c in enc.LEGACY if enc._decodes(path, c)]
    assert (enc._heuristic(data, candidates) if len(candidates) > 1 else candidates[0]) \
        == expected
    table = read_cells(path)
    assert [w for w in table.findings if w["baris"] == 0] == (
        [] if expected == "cp1252" else [table.findings[0]])
    assert {r[1][1] for r in table.rows[1:]} == set(names)


def test_windows_1252_stays_without_warning(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(_registry(["Posyandu Mawar Café", "Posyandu – Melati"]).encode("cp1252"))
    table = read_cells(path)
    assert table.encoding == "Windows-1252" and not table.findings


def test_unknown_bytes_fall_back_to_latin1_with_a_warning(tmp_path):
    path = tmp_path / "r.csv"
    # 0x81 is undefined in Windows-1252, 0xFF starts nothing in the East Asian code pages
    path.write_bytes(b"id;nama;kode_desa;lat;lon\r\nX1;Posyandu \x81\xff;62.71.01.1001;-2.2;113.9\r\n")
    assert enc.detect_encoding(path) == "latin-1"
    table = read_cells(path)
    [warning] = [f for f in table.findings if f["baris"] == 0]
    assert warning["tingkat"] == "peringatan" and "dibaca sebagai Latin-1" in warning["pesan"]
    res = import_posyandu(path, known_villages=KNOWN, land=[shapely.box(90, -15, 145, 10)])
    assert res.report.counts["peringatan"] >= 1


def test_csv_columns_beyond_the_cap_are_counted_in_a_note(tmp_path):
    path = tmp_path / "lebar.csv"
    header = ["id", "nama", "kode_desa", "lat", "lon"] + [f"x{i}" for i in range(300)]
    row = ["W1", "Posyandu Lebar", "62.71.01.1001", "-2.2", "113.9"] + ["1"] * 300
    short = ["W2", "Posyandu Pendek", "62.71.01.1001", "-2.3", "113.8"]
    Path(path).write_text("\n".join(";".join(r) for r in (header, row, short)) + "\n",
                          encoding="utf-8")
    table = read_cells(path)
    dropped = 2 * (len(header) - MAX_COLUMNS)     # header and the wide row
    assert f"{dropped} sel di luar kolom ke-{MAX_COLUMNS} diabaikan." in table.notes
    assert all(len(values) <= MAX_COLUMNS for _, values in table.rows)
    res = import_posyandu(path, known_villages=KNOWN, land=[shapely.box(90, -15, 145, 10)])
    assert f"{dropped} sel di luar kolom ke-{MAX_COLUMNS} diabaikan." in res.report.notes
    # within the cap: no note
    path.write_text("id;nama\nA;B\n", encoding="utf-8")
    assert not [n for n in read_cells(path).notes if "diabaikan" in n]


def test_windows_1252_that_looks_garbled_is_named(tmp_path):
    """Shift-JIS bytes with one byte no East Asian code page accepts (a damaged file):
    read as Windows-1252, but the warning says the letters look wrong."""
    path = tmp_path / "r.csv"
    data = _registry(NAMES_JA).encode("shift_jis")
    path.write_bytes(data[:-2] + b"\x82\r\n")      # a lead byte without its trail byte
    assert [c for c in enc.LEGACY if enc._decodes(path, c)] == ["cp1252"]
    table = read_cells(path)
    [warning] = [f for f in table.findings if f["baris"] == 0]
    assert "dibaca sebagai Windows-1252, tetapi sebagian hurufnya tampak rusak" in warning["pesan"]
