"""Fixtures for every test directory."""
from __future__ import annotations

import os
import tempfile

import pytest


@pytest.fixture(scope="session", autouse=True)
def empty_workspace():
    """Tests never see the developer's imported data: PETA_WORKSPACE_DIR points at an empty
    folder for the whole session (set in os.environ, so CLI subprocesses and Streamlit
    servers inherit it). Tests that import data set their own folder on top."""
    before = os.environ.get("PETA_WORKSPACE_DIR")
    with tempfile.TemporaryDirectory(prefix="peta-ws-") as folder:
        os.environ["PETA_WORKSPACE_DIR"] = folder
        yield folder
    if before is None:
        os.environ.pop("PETA_WORKSPACE_DIR", None)
    else:
        os.environ["PETA_WORKSPACE_DIR"] = before
