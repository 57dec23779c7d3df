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

# Debian's package (with a font the dashboard renders in), through the shared apt helper.
bash "$(dirname "$0")/apt-install.sh" "$CHROMIUM_BIN" chromium fonts-liberation
