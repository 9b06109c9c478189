#!/usr/bin/env bash
# Debian packages the full test suite needs: a JDK for Spark, a PostgreSQL server, Chromium
# and CJK fonts (so the console's screenshots show Chinese, not boxes).
# Idempotent and quick when they are already there. Runs apt-get as root (or via sudo).
set -euo pipefail

need=()
# Spark 4 runs on Java 17 or 21: Debian 12 has 17, Debian 13 has 21 (chosen after the update)
command -v java >/dev/null 2>&1 || need+=(JDK)
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
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
for i in "${!need[@]}"; do
  if [ "${need[$i]}" = JDK ]; then
    need[$i]=default-jre-headless
    for jdk in openjdk-17-jre-headless openjdk-21-jre-headless; do
      if apt-cache show "$jdk" >/dev/null 2>&1; then need[$i]=$jdk; break; fi
    done
  fi
done
echo "installing Debian packages: ${need[*]}"
# Debian's postgresql package may try to start a cluster; no init system here is fine
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
