"""Issue 25: a registry read by blocks gives the cells the line reader gives; the row
ceiling (1,000,000 by default, PETA_MAX_ROWS lowers it) holds on both paths; progress is
reported while a file is read and checked; the national sample's round trip keeps the
indicators per kabupaten (Kalimantan Tengah here; the national file by hand, README)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.importers.columns import read_columns
from geo.importers.posyandu import _cells_of, import_posyandu
from geo.importers.table import DEFAULT_MAX_ROWS, max_rows, read_cells

HEAD = "id;nama;kode_desa;lat;lon;jumlah_kader;balita_sasaran\n"
ROW = "P{i};Posyandu {i};62.71.01.1001;-2.2;113.9;5;20\n"


def _cells_equal(path):
    table, columns = read_columns(path)
    assert columns is not None, "a plain CSV is read by blocks"
    cells, numbers = columns
    lines = read_cells(path)
    ref_cells, ref_numbers = _cells_of(lines, 0)
    assert numbers.tolist() == ref_numbers.tolist()
    assert len(cells) == len(ref_cells)
    for a, b in zip(cells, ref_cells):
        assert a.tolist() == b.tolist()
    assert table.notes == lines.notes
    assert table.rows == lines.rows[:len(table.rows)]


@pytest.mark.parametrize("text", [
    HEAD + ROW.format(i=1) + "\n\n" + ";;;;;;\n" + "  P2 ; Posyandu  2 ;62.71.01.1002; ;;x;\n"
    + "   \n" + "P3;Ｐ３ Melati\u00a0;6271011001;2°12'30 LS;113,9;;\n",
    "nama,lat,lon\r\nA,-2.2,113.9\r\n\r\nB,,\r\nC,1,2",
    "\ufeffid\tnama\tlat\tlon\nX\tY\t-2\t113\n",
])
def test_plain_csv_read_by_blocks_gives_the_line_readers_cells(tmp_path, text):
    path = tmp_path / "r.csv"
    path.write_bytes(text.encode("utf-8"))
    _cells_equal(path)


@pytest.mark.parametrize("text,encoding", [
    (HEAD + 'P1;"Posyandu; Mawar";62.71.01.1001;-2.2;113.9;5;20\n', "utf-8"),   # quoted cell
    (HEAD + "P1;Posyandu Mawar;62.71.01.1001;-2.2\n", "utf-8"),                   # short row
    (HEAD + "P1;Posyandu Müller;62.71.01.1001;-2.2;113.9;5;20\n", "cp1252"),
])
def test_other_csv_read_by_the_line_reader_with_the_same_result(tmp_path, text, encoding):
    path = tmp_path / "r.csv"
    path.write_bytes(text.encode(encoding))
    assert read_columns(path)[1] is None
    res = import_posyandu(path, known_villages={"62.71.01.1001"})
    assert res.report.total == 1


def test_default_row_ceiling_is_a_million_and_env_lowers_it(monkeypatch):
    monkeypatch.delenv("PETA_MAX_ROWS", raising=False)
    assert max_rows() == DEFAULT_MAX_ROWS >= 1_000_000
    monkeypatch.setenv("PETA_MAX_ROWS", "250")
    assert max_rows() == 250


@pytest.mark.parametrize("quoted", [False, True])
def test_row_ceiling_on_both_readers(tmp_path, monkeypatch, quoted):
    monkeypatch.setenv("PETA_MAX_ROWS", "250")
    name = '"Posyandu {i}"' if quoted else "Posyandu {i}"
    row = ROW.replace("Posyandu {i}", name)
    ok, over = tmp_path / "ok.csv", tmp_path / "over.csv"
    ok.write_text(HEAD + "".join(row.format(i=i) for i in range(250)))
    over.write_text(HEAD + "".join(row.format(i=i) for i in range(1400)))
    assert (read_columns(ok)[1] is None) == quoted
    res = import_posyandu(ok, known_villages={"62.71.01.1001"})
    assert res.report.accepted == 250 and res.report.fatal is None
    res = import_posyandu(over, known_villages={"62.71.01.1001"})
    assert res.report.fatal and "PETA_MAX_ROWS" in res.report.fatal


@pytest.mark.parametrize("quoted", [False, True])
def test_progress_reported_while_reading_and_checking(tmp_path, monkeypatch, quoted):
    import geo.importers.posyandu as posyandu
    monkeypatch.setattr(posyandu, "CHUNK_ROWS", 1000)
    name = '"Posyandu {i}"' if quoted else "Posyandu {i}"
    path = tmp_path / "r.csv"
    path.write_text(HEAD + "".join(ROW.replace("Posyandu {i}", name).format(i=i)
                                   for i in range(3500)))
    calls = []
    res = import_posyandu(path, known_villages={"62.71.01.1001"},
                          progress=lambda *a: calls.append(a))
    assert res.report.accepted == 3500
    stages = [c[0] for c in calls]
    assert stages[0] == "baca" and stages[-1] == "periksa"
    check = [(d, t) for s, d, t in calls if s == "periksa"]
    assert [d for d, _ in check] == [1000, 2000, 3000, 3500]      # data rows, by block
    assert all(t == 3500 for _, t in check)
    read = [d for s, d, _ in calls if s == "baca"]
    assert read == sorted(read) and read[-1] >= 3500


def test_round_trip_of_the_sample_keeps_indicators_per_kabupaten(tmp_path):
    """demo → import → indicators per kabupaten, as `geo demo --scope 62` then
    `geo import posyandu … --save` do (the national file: README)."""
    from geo.indicators import registry as indicators
    from geo.registry.join import join
    from geo.sample.generate import sample_posyandu
    from geo.sample.output import write_registry
    sample = sample_posyandu("62", 0)
    path = write_registry(sample, tmp_path / "sampel62.csv")
    res = import_posyandu(path)
    assert res.report.fatal is None and res.report.rejected == 0
    assert res.report.accepted == len(sample)

    def per_kabupaten(reg):
        long = indicators.aggregate(join(reg), ("kabupaten",))
        return long.sort_values(["indicator", "code"]).reset_index(drop=True)

    before, after = per_kabupaten(sample), per_kabupaten(res.data.drop(columns="baris"))
    assert len(before) and before["code"].str.startswith("62.").all()
    pd.testing.assert_frame_equal(after, before)
    assert np.isfinite(before["value"].astype(float)).any()


def test_cli_progress_on_stderr_results_on_stdout(tmp_path, capsys):
    from geo.importers.cli import main
    path = tmp_path / "r.csv"
    path.write_text(HEAD + "".join(ROW.format(i=i) for i in range(300)))
    assert main(["import", "posyandu", str(path), "--out", str(tmp_path / "ok.csv")]) == 0
    out, err = capsys.readouterr()
    assert "300 baris dibaca — 300 diterima" in out
    assert "membaca" in err and "memeriksa" in err and "300/300" in err
    assert "membaca" not in out and "memeriksa" not in out
