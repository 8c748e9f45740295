#!/usr/bin/env bash
# PostgreSQL 15 + PostGIS for Peta Posyandu on one Debian 12 machine (run as root).
#
#   sudo deploy/postgresql-setup.sh            # database "peta", role "peta", random password
#   sudo PETA_DB=peta PETA_DB_USER=peta deploy/postgresql-setup.sh
#
# 1. installs postgresql-15-postgis-3 (Debian package; no internet needed afterwards),
# 2. creates the role and the database, and the PostGIS extension as the superuser (the app
#    role is not a superuser; the project's migrations then find the extension in place),
# 3. writes PETA_DATABASE_URL to /etc/peta-posyandu/database.env (mode 0640, root:peta),
#    read by the app's systemd units (deploy/README.md, issue 11) via EnvironmentFile=,
# 4. creates the schema: python -m geo db init (idempotent; also run by every app start).
# See deploy/DATABASE.md for tuning, backups, the first admin and editors.
set -euo pipefail

DB=${PETA_DB:-peta}
DB_USER=${PETA_DB_USER:-peta}
APP_DIR=${PETA_APP_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
ENV_DIR=/etc/peta-posyandu
ENV_FILE=$ENV_DIR/database.env

if [ "$(id -u)" != 0 ]; then
    echo "jalankan sebagai root (sudo)" >&2
    exit 1
fi
if [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-15-postgis-3
fi
systemctl enable --now postgresql

if [ -f "$ENV_FILE" ]; then
    echo "$ENV_FILE sudah ada: kata sandi tidak diubah"
    PW=""
else
    PW=$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)
fi

runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q <<SQL
DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN;
  END IF;
END\$\$;
SQL
if [ -n "$PW" ]; then
    runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -c "ALTER ROLE $DB_USER PASSWORD '$PW'"
fi
if ! runuser -u postgres -- psql -Atqc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    runuser -u postgres -- createdb -O "$DB_USER" -E UTF8 "$DB"
fi
runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS postgis"

if [ -n "$PW" ]; then
    install -d -m 0750 "$ENV_DIR"
    getent group peta >/dev/null && chgrp peta "$ENV_DIR" || true
    umask 027
    printf 'PETA_DATABASE_URL=postgresql+psycopg://%s:%s@127.0.0.1:5432/%s\n' "$DB_USER" "$PW" "$DB" > "$ENV_FILE"
    getent group peta >/dev/null && chgrp peta "$ENV_FILE" || true
    echo "Ditulis: $ENV_FILE"
fi

set -a; . "$ENV_FILE"; set +a
"$APP_DIR/.venv/bin/python" -m geo db init
echo "Selesai. Buat admin pertama: sudo -u peta env \$(cat $ENV_FILE) $APP_DIR/.venv/bin/python -m geo db user add admin --role admin"
