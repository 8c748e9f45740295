#!/usr/bin/env bash
# Peta Posyandu: the whole test suite from a clean clone (unit, app and browser tests).
#   1. creates .venv (once) and installs requirements-dev.txt when it changed,
#   2. installs the Debian packages the tests need when they are missing (needs root/apt):
#      chromium (browser tests), poppler-utils (PDF map test), postgresql-15-postgis-3
#      (database tests, which start their own cluster), haproxy (the deployment's proxy),
#      curl (the load benchmark's room participants, tested through the proxy),
#   3. checks the code: ruff (lint) and lint-imports (the layering contracts of pyproject.toml),
#   4. runs pytest on two workers. Extra arguments go to pytest, e.g. ./test.sh tests/unit -x
# Data come from PETA_DATA_DIR (default ../shared/data, see geo/config.py).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON_BIN=${PYTHON:-python3}
VENV=.venv
VPY="$VENV/bin/python"
[ -x "$VPY" ] || "$PYTHON_BIN" -m venv "$VENV"

STAMP="$VENV/.requirements-dev.sha256"
REQ_HASH=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$REQ_HASH" ]; then
    "$VPY" -m pip install --disable-pip-version-check -q -r requirements-dev.txt
    echo "$REQ_HASH" > "$STAMP"
    # requirements-dev.txt includes requirements.txt: ./run.sh need not install it again
    sha256sum requirements.txt | cut -d' ' -f1 > "$VENV/.requirements.sha256"
fi

# Debian packages: what is missing, in one apt-get run.
NEED=()
[ -x /usr/bin/chromium ] || NEED+=(chromium fonts-dejavu-core)
command -v pdftoppm >/dev/null 2>&1 || NEED+=(poppler-utils)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || NEED+=(postgresql-15-postgis-3)
[ -x /usr/sbin/haproxy ] || command -v haproxy >/dev/null 2>&1 || NEED+=(haproxy)
command -v curl >/dev/null 2>&1 || NEED+=(curl)
if [ ${#NEED[@]} -gt 0 ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq --no-install-recommends "${NEED[@]}" >/dev/null
    else
        echo "Paket Debian tidak ada: ${NEED[*]} — tes yang memerlukannya dilewati (pasang: apt-get install ${NEED[*]})" >&2
    fi
fi

"$VENV/bin/ruff" check .
"$VENV/bin/lint-imports" --no-cache
# Two workers (pytest-xdist), each test module on one worker (its servers and fixtures are
# per module): the browser tests spend much of their time waiting on a server or a browser, so
# two share the 2 cores of the CI machine well. PETA_TEST_WORKERS=0 runs everything in one process.
exec "$VPY" -m pytest -n "${PETA_TEST_WORKERS:-2}" --dist loadfile "$@"
