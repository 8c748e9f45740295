"""Run the hostile corpus (benchmarks/hostile_corpus.py) through the importers and the pages
and count what happened (issue 30).

    python -m benchmarks.hostile [--only registry,boundaries,raster,url] [--timeout 60]
                                 [--keep DIR]

Each case runs in its own process with a fresh workspace (``PETA_WORKSPACE_DIR``): a file
through ``python -m geo import … --save`` (the command Kelola Data's importers share), a
link through Streamlit's AppTest (the page opened with those URL parameters). Its outcome:

* ``accepted`` — saved, no row refused;       * ``partial`` — saved, bad rows named;
* ``refused`` — nothing saved, a named message (the clean refusal);
* ``error``   — a traceback or an error box;  * ``generic`` — "Galat tak terduga";
* ``hang``    — not done after the timeout (killed).

``wrong`` counts cases whose outcome is not one the case expects (a file accepted that
must be refused, or the other way). Peak memory is the process's maximum resident set
size (interpreter and libraries included: VmHWM at exit).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks.hostile_corpus import ACCEPTED, PARTIAL, REFUSED, all_cases

ROOT = Path(__file__).resolve().parent.parent
ERROR, GENERIC, HANG = "error", "generic", "hang"

# Peak memory of the process itself: VmHWM of /proc/self/status, printed at exit (the
# rusage of a child keeps the peak of the process that forked it, here the benchmark).
PEAK = r"""
import atexit, sys
def _peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stdout.write("\nPEAK_KB " + line.split()[1] + "\n")
            sys.stdout.flush()
atexit.register(_peak)
"""
IMPORT_RUNNER = PEAK + r"""
import runpy
sys.argv = ["geo", *sys.argv[1:]]
runpy.run_module("geo", run_name="__main__", alter_sys=True)
"""
URL_RUNNER = PEAK + r"""
import json
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
init = PagesManager.__init__
def patched(self, *a, **k):
    init(self, *a, **k)
    PagesManager.uses_pages_directory = False
PagesManager.__init__ = patched
page, params = sys.argv[1], json.loads(sys.argv[2])
at = AppTest.from_file("app.py", default_timeout=120)
at.run()
if page != "pages/ringkasan.py":
    at.switch_page(page)
at.query_params.update(params)
at.run()
texts = [str(getattr(e, "value", "")) for k in ("markdown", "warning", "info", "caption")
         for e in at.get(k)]
print(json.dumps({"exception": [str(e.value)[:300] for e in at.exception],
                  "errors": [str(e.value)[:300] for e in at.error],
                  "generic": any("Galat tak terduga" in t for t in texts),
                  "region": at.session_state["region"]}))
"""


def run(argv: list[str], env: dict, timeout: float) -> tuple[int | None, str, float, float]:
    """(return code or None when killed, output, seconds, peak MB) of one process."""
    t = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        rc, rusage = None, None
        while True:
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                rc = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - t > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, rusage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = rc if rc is not None else -9
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    m = re.search(r"^PEAK_KB (\d+)$", text, re.M)
    peak_kb = int(m.group(1)) if m else rusage.ru_maxrss     # killed: the rusage bound
    return rc, text, time.perf_counter() - t, peak_kb / 1024


def outcome_of_import(rc, text: str) -> tuple[str, str]:
    """(outcome, the message a user reads) of ``geo import``."""
    if rc is None:
        return HANG, ""
    if "Traceback" in text:
        return ERROR, text.strip().splitlines()[-1][:160]
    if "Galat tak terduga" in text:
        return GENERIC, "Galat tak terduga"
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    first_fail = next((ln for ln in lines if ln.startswith(("GAGAL", "Galat"))), "")
    summary = next((ln for ln in lines if "baris dibaca" in ln or "tidak dapat diimpor" in ln),
                   "")
    if "Disimpan ke workspace" in text:
        m = re.search(r"(\d+) ditolak", summary)
        refused_rows = int(m.group(1)) if m else 0
        return (PARTIAL if refused_rows else ACCEPTED), summary[:160]
    message = first_fail or summary
    return (REFUSED if message else ERROR), message[:160]


def outcome_of_url(rc, text: str) -> tuple[str, str]:
    if rc is None:
        return HANG, ""
    line = next((ln for ln in reversed(text.splitlines()) if ln.startswith("{")), None)
    if line is None:
        return ERROR, (text.strip().splitlines() or [""])[-1][:160]
    res = json.loads(line)
    if res["exception"]:
        return ERROR, res["exception"][0][:160]
    if res["errors"]:
        return ERROR, res["errors"][0][:160]
    if res["generic"]:
        return GENERIC, "Galat tak terduga"
    return ACCEPTED, f"wilayah ditampilkan: {res['region'] or 'Indonesia'}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="", help="groups: registry,boundaries,raster,url")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--keep", help="build the files into this folder and keep them")
    args = ap.parse_args(argv)
    groups = {g for g in args.only.split(",") if g}
    cases = [c for c in all_cases() if not groups or c.group in groups]
    folder = Path(args.keep or tempfile.mkdtemp(prefix="peta-hostile-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows, counts, wrong = [], Counter(), []
    print(f"{'case':<44} {'group':<10} {'outcome':<9} {'ok':<3} {'s':>6} {'MB':>6}  message")
    for case in cases:
        ws = Path(tempfile.mkdtemp(prefix="ws-", dir=folder))
        env = {**os.environ, "PETA_WORKSPACE_DIR": str(ws), "PYTHONPATH": str(ROOT)}
        env.pop("PETA_DATABASE_URL", None)
        cmd = case.build(folder)
        if cmd[0] == "url":
            rc, text, secs, mb = run([sys.executable, "-c", URL_RUNNER, *cmd[1:]], env,
                                     args.timeout)
            outcome, msg = outcome_of_url(rc, text)
        else:
            rc, text, secs, mb = run([sys.executable, "-c", IMPORT_RUNNER, *cmd], env,
                                     args.timeout)
            outcome, msg = outcome_of_import(rc, text)
        ok = outcome in case.expect
        counts[outcome] += 1
        if not ok:
            counts["wrong"] += 1
            wrong.append(case.name)
        rows.append({"case": case.name, "group": case.group, "outcome": outcome, "ok": ok,
                     "seconds": round(secs, 1), "peak_mb": round(mb), "message": msg})
        print(f"{case.name[:44]:<44} {case.group:<10} {outcome:<9} {'ja' if ok else 'NO':<3} "
              f"{secs:6.1f} {mb:6.0f}  {msg}", flush=True)
    print()
    print(f"cases: {len(rows)}  accepted: {counts[ACCEPTED]}  partial: {counts[PARTIAL]}  "
          f"clean refusal: {counts[REFUSED]}  wrong: {counts['wrong']}  "
          f"error box/traceback: {counts[ERROR]}  generic: {counts[GENERIC]}  "
          f"hang (> {args.timeout:.0f} s): {counts[HANG]}")
    if wrong:
        print("wrong: " + ", ".join(wrong))
    print(json.dumps({"cases": len(rows), **{k: counts[k] for k in
                      (ACCEPTED, PARTIAL, REFUSED, "wrong", ERROR, GENERIC, HANG)},
                      "max_peak_mb": max((r["peak_mb"] for r in rows), default=0)}))
    return 0 if not (counts[ERROR] or counts[GENERIC] or counts[HANG]) else 1


if __name__ == "__main__":
    sys.exit(main())
