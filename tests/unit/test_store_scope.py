"""Region scopes of editors and the file store behind the store interface (no database)."""
from __future__ import annotations

import pandas as pd
import pytest

from geo.importers.report import ImportReport
from geo.store import User, WorkspaceConflict, get_store, in_scope
from geo.store.postgis import _overlaps
from geo.store.scope import apply_scope


def test_in_scope_by_code_prefix():
    assert in_scope("62.03.01.1001", ["62.03"]) and in_scope("62.03", ["62.03"])
    assert not in_scope("62.031", ["62.03"]) and not in_scope("62.71.01.1001", ["62.03"])
    assert not in_scope(None, ["62.03"]) and in_scope("62.71.01.1001", ["62.03", "62.71"])


def test_scopes_overlap():
    assert _overlaps(["62.03"], ["62.03.01"]) and _overlaps(None, ["62.03"])
    assert not _overlaps(["62.03"], ["62.71"]) and not _overlaps(["62.03"], ["62.031"])


def test_apply_scope_refuses_and_names_rows_outside():
    data = pd.DataFrame({"kode_desa": ["62.03.01.1001", "62.71.01.1001", "62.03.02.1001"],
                         "baris": [2, 3, 4]})
    rep = ImportReport.build("posyandu", "f.csv", 3, [2, 3, 4], [])
    kept, rep2 = apply_scope("posyandu", data, rep, ["62.03"])
    assert kept["baris"].tolist() == [2, 4]
    assert rep2.counts["diterima"] == 2 and rep2.counts["ditolak"] == 1
    (row,) = rep2.problems.to_dict("records")
    assert row["baris"] == 3 and row["tingkat"] == "ditolak" and "62.71.01.1001" in row["pesan"]
    assert apply_scope("posyandu", data, rep, []) == (data, rep)   # no scope: all regions


def test_file_store_is_the_workspace_and_checks_base_version(tmp_path, monkeypatch):
    monkeypatch.delenv("PETA_DATABASE_URL", raising=False)
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path))
    from geo import workspace
    store = get_store()
    # nothing imported yet: the base of a first save is "no version" (a save by someone
    # else in between is then refused too)
    assert not store.requires_login and store.base_version("indikator") == workspace.NO_VERSION
    frame = pd.DataFrame({"code": ["62"], "nilai": [1.0]})
    v1 = store.save("indikator", frame, name="a.csv", source_sha256="ab" * 32)
    assert workspace.current("indikator").version == v1.version
    assert workspace.current("indikator").manifest["sha256"] == "ab" * 32
    dv, dvs = store.data_version(), store.data_versions()
    store.save("indikator", frame, name="b.csv", base_version=v1.version)
    assert store.data_version() != dv
    changed = {k for k, v in store.data_versions().items() if dvs.get(k) != v}
    assert changed == {"indikator"}         # only the saved kind's version moves
    with pytest.raises(WorkspaceConflict):
        store.save("indikator", frame, name="c.csv", base_version=v1.version)
    assert workspace.current("indikator").name == "b.csv"
    assert User("x", "admin").whole and not User("x", "editor", ("62",)).whole
