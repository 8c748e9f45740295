"""benchmarks.hostile (issue 30): the outcome of a case is read from what the CLI prints;
the corpus builds every file and names what it expects."""
from __future__ import annotations

from benchmarks.hostile import ERROR, GENERIC, HANG, outcome_of_import, outcome_of_url
from benchmarks.hostile_corpus import ACCEPTED, PARTIAL, REFUSED, all_cases


def test_outcomes_from_cli_output():
    saved = "Disimpan ke workspace: Registri Posyandu: x (…) [versi v]"
    assert outcome_of_import(0, "x.csv: 2 baris dibaca — 2 diterima (termasuk 0 diperbaiki), "
                             "0 ditolak, 0 peringatan.\n" + saved)[0] == ACCEPTED
    assert outcome_of_import(0, "x.csv: 3 baris dibaca — 1 diterima (termasuk 0 diperbaiki), "
                             "2 ditolak, 0 peringatan.\n" + saved)[0] == PARTIAL
    out, msg = outcome_of_import(1, "GAGAL: berkas kosong (0 byte)\n")
    assert (out, msg) == (REFUSED, "GAGAL: berkas kosong (0 byte)")
    assert outcome_of_import(3, "Galat tak terduga; jalankan ulang …")[0] == GENERIC
    assert outcome_of_import(1, "Traceback (most recent call last):\n  …\nKeyError: 'x'")[0] \
        == ERROR
    assert outcome_of_import(None, "")[0] == HANG
    assert outcome_of_import(1, "")[0] == ERROR           # silent failure is not clean
    ok = '{"exception": [], "errors": [], "generic": false, "region": "62"}'
    assert outcome_of_url(0, ok)[0] == ACCEPTED
    box = '{"exception": [], "errors": ["Maaf, terjadi galat"], "generic": false, "region": ""}'
    assert outcome_of_url(0, box)[0] == ERROR


def test_every_case_builds_its_command(tmp_path):
    cases = all_cases()
    assert {c.group for c in cases} == {"registry", "boundaries", "raster", "url"}
    assert len({c.name for c in cases}) == len(cases)
    for case in cases:
        if case.name in ("spiky_1m_vertices", "huge_sparse_float64", "over_cell_limit"):
            continue                                  # large builds: run by the benchmark
        cmd = case.build(tmp_path)
        assert cmd[0] in ("import", "url") and case.expect
