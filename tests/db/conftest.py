"""Database tests run against a real PostgreSQL + PostGIS started by the tests."""
from tests.db.fixtures import db_url, pg_cluster, store  # noqa: F401 (fixtures)
