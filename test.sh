#!/usr/bin/env bash
# Peta Posyandu: the whole test suite from a clean clone (unit, app and browser tests).
#   1. creates .venv (once) and installs requirements-dev.txt when it changed,
#   2. installs Debian's chromium for the browser tests and postgresql-15-postgis-3 for the
#      database tests when they are missing (needs root/apt),
#   3. runs pytest. Extra arguments go to pytest, e.g. ./test.sh tests/unit -x
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

if [ ! -x /usr/bin/chromium ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
    else
        echo "chromium tidak ada: tes peramban dilewati (pasang: apt-get install chromium)" >&2
    fi
fi

# PostgreSQL 15 + PostGIS for the database tests (tests/db start their own cluster)
if [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql-15-postgis-3 >/dev/null
    else
        echo "PostGIS tidak ada: tes basis data dilewati (pasang: apt-get install postgresql-15-postgis-3)" >&2
    fi
fi

exec "$VPY" -m pytest "$@"
