"""Fixtures of the database tests (imported by tests/db/conftest.py and by browser tests).

* ``pg_cluster`` (session): a real PostgreSQL 15 + PostGIS cluster (tests/db/pgcluster.py)
  with a template database already migrated; skipped without PostgreSQL, failed when
  ``CI=true``.
* ``db_url``: a fresh database (copied from the template: fast) for one test; sets
  ``PETA_DATABASE_URL`` for the test and its subprocesses.
* ``store``: the PostgisStore of ``db_url`` with an admin ``admin``, editors ``kapuas``
  (62.03) and ``palangka`` (62.71); passwords in ``PASSWORDS``.
"""
from __future__ import annotations

import itertools
import os

import pandas as pd
import pytest

from tests.db.pgcluster import Cluster, available

PASSWORDS = {"admin": "admin-rahasia-1", "kapuas": "kapuas-rahasia-1",
             "palangka": "palangka-rahasia-1"}
_COUNTER = itertools.count()


@pytest.fixture(scope="session")
def pg_cluster():
    why = available()
    if why:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(why + "; CI=true, so this is an error, not a skip")
        pytest.skip(why)
    cluster = Cluster().start()
    try:
        url = cluster.create_db("peta_template")
        from geo.store.postgis import PostgisStore
        PostgisStore(url).engine.dispose()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def db_url(pg_cluster, monkeypatch):
    name = f"peta_t{os.getpid()}_{next(_COUNTER)}"
    pg_cluster.psql(f"CREATE DATABASE {name} TEMPLATE peta_template")
    url = pg_cluster.url(name)
    monkeypatch.setenv("PETA_DATABASE_URL", url)
    from geo.store import _store_for
    _store_for.cache_clear()
    yield url
    _store_for.cache_clear()


@pytest.fixture
def store(db_url):
    from geo.store.postgis import PostgisStore
    s = PostgisStore(db_url)
    s.add_user("admin", PASSWORDS["admin"], "admin", [])
    s.add_user("kapuas", PASSWORDS["kapuas"], "editor", ["62.03"])
    s.add_user("palangka", PASSWORDS["palangka"], "editor", ["62.71"])
    yield s
    s.engine.dispose()


def registry_rows(prefix: str, n: int, *, start: int = 0, tag: str = "") -> pd.DataFrame:
    """``n`` registry rows in villages of region ``prefix`` (real Kemendagri codes), their
    points near the centre of the region (inside it, for 62.03 and 62.71)."""
    from geo.regions import boundaries as regions
    codes = regions.code_list("desa")["code"]
    villages = codes[codes.str.startswith(prefix + ".")].head(max(n, 1)).tolist()
    centre = {"62.03": (-2.95, 114.35), "62.71": (-2.21, 113.92)}.get(prefix, (-2.5, 114.0))
    rows = []
    for i in range(n):
        rows.append({"id": f"{prefix}-{tag}{start + i}", "nama": f"Posyandu {tag}{start + i}",
                     "kode_desa": villages[i % len(villages)],
                     # a 20 x 20 grid of 0.001° steps: inside the region (a save refuses
                     # a point in another region, geo.store.scope)
                     "lat": centre[0] + 0.001 * (i % 20), "lon": centre[1] + 0.001 * (i // 20),
                     "strata": "Madya", "aktif": "ya", "jumlah_kader": 5,
                     "kader_terlatih": 3, "balita_sasaran": 40, "balita_ditimbang": 30,
                     "balita_stunting": 4, "internet": "ya", "layanan_kesehatan": "ya",
                     "layanan_pendidikan": "tidak", "layanan_pekerjaan_umum": "tidak",
                     "layanan_perumahan": "tidak", "layanan_trantibumlinmas": "tidak",
                     "layanan_sosial": "ya"})
    return pd.DataFrame(rows)


def registry(prefix: str, n: int, **kw):
    """Validated registry (GeoDataFrame) of ``registry_rows``."""
    from geo.registry import validate as reg
    frame = registry_rows(prefix, n, **kw)
    return reg.validate(frame, known_villages=set(frame["kode_desa"])).data
