#!/usr/bin/env bash
# Peta Posyandu: one command from a clean clone to a running dashboard.
#   1. creates .venv (once),
#   2. installs requirements.txt (only when it changed since the last install),
#   3. fetches the open boundary data when the data directory has none
#      (python -m geo fetch; see PETA_DATA_DIR in geo/config.py),
#   4. starts the dashboard: streamlit run app.py [extra streamlit arguments...]
# Running it again does no needless work. Example: ./run.sh --server.port 8502
# PETA_VENV=/path/to/venv uses that existing virtual environment instead of ./.venv
# (tests and CI that already have one); it is never created here, and requirements.txt
# is still installed into it when it changed.
set -euo pipefail
if [ -n "${PETA_VENV:-}" ]; then
    if [ ! -x "$PETA_VENV/bin/python" ]; then
        echo "PETA_VENV=$PETA_VENV bukan lingkungan Python (tidak ada $PETA_VENV/bin/python)." >&2
        exit 2
    fi
    PETA_VENV=$(cd "$PETA_VENV" && pwd)  # absolute, before the cd below
fi
cd "$(dirname "$0")"

PYTHON_BIN=${PYTHON:-python3}
VENV=${PETA_VENV:-.venv}
VPY="$VENV/bin/python"

if [ ! -x "$VPY" ]; then
    echo "Membuat lingkungan Python di $VENV …"
    "$PYTHON_BIN" -m venv "$VENV"
fi

STAMP="$VENV/.requirements.sha256"
REQ_HASH=$("$VPY" -c 'import hashlib; print(hashlib.sha256(open("requirements.txt", "rb").read()).hexdigest())')
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$REQ_HASH" ]; then
    echo "Memasang paket Python (requirements.txt) …"
    "$VPY" -m pip install --disable-pip-version-check -q -r requirements.txt
    echo "$REQ_HASH" > "$STAMP"
fi

if ! "$VPY" -c 'import sys; from geo.fetch.command import has_data; sys.exit(0 if has_data() else 1)'; then
    echo "Data batas wilayah belum ada; mengambil dari sumber terbuka …"
    if ! "$VPY" -m geo fetch; then
        # The dashboard still starts: it shows the same guidance and lets users
        # upload boundaries on the data page.
        echo "Pengambilan data gagal (lihat pesan di atas); dasbor tetap dijalankan." >&2
    fi
fi

exec "$VPY" -m components.serve "$@"
