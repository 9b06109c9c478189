#!/usr/bin/env bash
# Make sure a PostgreSQL server (initdb, pg_ctl) is installed, for the store's tests.
# Idempotent and quick when it is there already; installs Debian's `postgresql` with apt-get
# otherwise (as root, or through sudo). The tests start their own throw-away server
# (tests/pg.py); nothing here starts or configures one.
set -euo pipefail

if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "ensure-postgres: PostgreSQL is missing and installing it needs root or sudo" >&2
    exit 1
  fi
fi

echo "ensure-postgres: installing PostgreSQL (Debian package postgresql)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# the package's post-install may try to start a cluster; without an init system that is harmless
$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
ls /usr/lib/postgresql/*/bin/initdb >/dev/null
echo "ensure-postgres: installed $(ls -d /usr/lib/postgresql/*/bin | tail -1)"
