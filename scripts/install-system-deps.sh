#!/usr/bin/env bash
# Debian packages the full test suite needs: a JDK for Spark, a PostgreSQL server, Chromium
# and CJK fonts (so the console's screenshots show Chinese, not boxes).
# Idempotent and quick when they are already there. Runs apt-get as root (or via sudo).
set -euo pipefail

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# the console's end-to-end test drives Debian's chromium headless (never a downloaded browser)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# the console is Chinese by default; without a CJK font headless Chromium draws boxes
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-system-deps: need root (or sudo) to apt-get install ${need[*]}" >&2
    exit 1
  fi
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Debian's postgresql package may try to start a cluster; no init system here is fine
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
