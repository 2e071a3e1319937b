#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine (run as root or with sudo):
# the project with its test extras, Debian's Chromium and libxml2-utils, a Java runtime for
# the W3C Nu checker, and the npm checkers pinned in tests/tools/package-lock.json.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"

python -m pip install -q -e "$root[test,bench]"

need=()
# Debian's chromium; on GitHub's Ubuntu runners a preinstalled Chrome serves (tests/browser.py finds it)
command -v chromium >/dev/null || command -v google-chrome >/dev/null || command -v chromium-browser >/dev/null \
  || need+=(chromium)
command -v xmllint >/dev/null || need+=(libxml2-utils)
command -v java >/dev/null || need+=(default-jre-headless)
if [ ${#need[@]} -gt 0 ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ ! -d "$here/node_modules/vnu-jar" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  (cd "$here" && npm install --no-audit --no-fund --loglevel=error)
fi
echo "test tools installed"
