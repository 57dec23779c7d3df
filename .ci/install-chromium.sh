#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (test/browser.test.ts), unless it is already there.
# Playwright's own browser download is not used: playwright-core drives this system chromium instead.
# Usage: bash .ci/install-chromium.sh   (needs root, or sudo without a password)
set -euo pipefail

CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"

if [ -x "$CHROMIUM_BIN" ]; then
  echo "chromium: already installed at $CHROMIUM_BIN ($("$CHROMIUM_BIN" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo -n"
  else
    echo "chromium: not installed and not running as root; install it with: apt-get install -y chromium" >&2
    exit 1
  fi
fi

echo "chromium: installing Debian's chromium package ..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
echo "chromium: installed $("$CHROMIUM_BIN" --version 2>/dev/null || echo "at $CHROMIUM_BIN")"
