"""The README's run command works from a clean clone: ``./run.sh --server.port <port>
--server.address 127.0.0.1`` starts the dashboard, and its home page draws the map.

The clone (``git clone`` of this repository) holds only committed files, so this also
catches a file the app needs that was never committed. Knobs (environment variables):

* ``PETA_DATA_DIR``: the data directory given to the clone (default: the one this
  checkout uses, see geo.config; a clone in a temporary folder has no ``../shared/data``).
* ``PETA_TEST_FRESH_VENV=1``: let run.sh create and fill its own ``.venv`` in the clone
  (pip install: minutes, needs the package index). By default run.sh reuses the virtual
  environment running the tests through its ``PETA_VENV`` hook.
* ``PETA_TEST_COLD_CACHE=1``: give the clone its own empty cache (``data/cache`` in the
  clone: the first page load then builds the joins and display geometry, ~1-3 minutes).
  By default it shares this checkout's cache: artefacts are keyed by the sha256 of their
  sources and written atomically, so sharing them is safe.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import CHOROPLETH, ST_FOLIUM_IFRAME, free_port, stop_process_group
from playwright.sync_api import expect

REPO_ROOT = Path(__file__).resolve().parents[2]


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes")


def _current_venv() -> Path | None:
    """The virtual environment running pytest, if it is one."""
    prefix = Path(sys.prefix)
    if prefix != Path(sys.base_prefix) and (prefix / "bin" / "python").exists():
        return prefix
    return None


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    target = tmp_path_factory.mktemp("clone") / "peta-posyandu"
    subprocess.run(["git", "clone", "--quiet", str(REPO_ROOT), str(target)], check=True,
                   capture_output=True, text=True, timeout=120)
    return target


@pytest.mark.slow
def test_run_sh_from_clean_clone(clone, data_dir, tmp_path, page, external_requests,
                                 failed_requests, page_errors, screenshot_dir, record_property):
    run_sh = clone / "run.sh"
    assert run_sh.is_file() and os.access(run_sh, os.X_OK), "run.sh missing or not executable"

    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PETA_CACHE_DIR", "PETA_WORKSPACE_DIR")}
    env["PETA_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    fresh_venv = _flag("PETA_TEST_FRESH_VENV")
    venv = None if fresh_venv else _current_venv()
    if venv is not None:
        assert "PETA_VENV" in run_sh.read_text(encoding="utf-8"), (
            "the committed run.sh has no PETA_VENV hook (commit run.sh, or run with "
            "PETA_TEST_FRESH_VENV=1)")
        env["PETA_VENV"] = str(venv)
    if not _flag("PETA_TEST_COLD_CACHE"):
        from geo.config import cache_dir

        env["PETA_CACHE_DIR"] = str(cache_dir())  # this checkout's cache (see module doc)

    port = free_port()
    log_path = tmp_path / "run_sh.log"
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            ["./run.sh", "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
    logs = lambda: log_path.read_text(encoding="utf-8", errors="replace")[-5000:]  # noqa: E731
    try:
        # Up: /_stcore/health answers (a fresh venv's pip install takes minutes).
        deadline = started + (900 if venv is None else 120)
        while True:
            assert process.poll() is None, f"run.sh exited with {process.returncode}:\n{logs()}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            assert time.monotonic() < deadline, f"dashboard not up in time:\n{logs()}"
            time.sleep(0.25)
        up_seconds = time.monotonic() - started
        if venv is not None:
            assert not (clone / ".venv").exists(), "run.sh created .venv despite PETA_VENV"

        # The home page draws the 38 provinces.
        page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
        frame = page.frame_locator(ST_FOLIUM_IFRAME).first
        polygons = frame.locator(CHOROPLETH)
        try:
            polygons.first.wait_for(state="visible", timeout=300_000)
            expect(polygons).to_have_count(38, timeout=60_000)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n--- run.sh output ---\n{logs()}") from exc
        map_seconds = time.monotonic() - started
        expect(page.locator(".pp-legend")).to_be_visible()
        page.wait_for_timeout(1500)  # the map refits once Streamlit has sized it
        page.screenshot(path=str(screenshot_dir / "run_sh_clean_clone.png"))
        record_property("run_sh_up_seconds", round(up_seconds, 1))
        record_property("run_sh_map_seconds", round(map_seconds, 1))
        print(f"\nrun.sh: server up {up_seconds:.1f}s, map drawn {map_seconds:.1f}s "
              f"(venv: {'fresh' if venv is None else venv}, cache: "
              f"{'cold' if _flag('PETA_TEST_COLD_CACHE') else 'shared'})")

        assert external_requests == [], external_requests
        assert page_errors == [], page_errors
        assert "Traceback" not in logs(), logs()
    finally:
        stop_process_group(process)
