#!/usr/bin/env bash
# moto's S3-compatible server for test/deploy-backups.test.ts (scheduled backups to S3, restore from the
# bucket), from PyPI, pinned. Skipped when moto_server is already on PATH.
set -euo pipefail

MOTO_VERSION="5.2.1"
if command -v moto_server >/dev/null 2>&1; then
  echo "moto_server: already installed ($(command -v moto_server))"
  exit 0
fi
PYTHON="$(command -v python3 || true)"
if [ -z "$PYTHON" ]; then
  bash "$(dirname "$0")/apt-install.sh" python3 python3 python3-pip python3-venv
  PYTHON="$(command -v python3)"
fi
echo "moto_server: installing moto[server]==$MOTO_VERSION from PyPI ..."
if ! "$PYTHON" -m pip install --quiet "moto[server]==$MOTO_VERSION" 2>/dev/null; then
  # Debian's system Python refuses global pip installs (PEP 668): use a venv under the project's cache.
  VENV="$(cd "$(dirname "$0")/.." && pwd)/.cache/moto-venv"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "moto[server]==$MOTO_VERSION"
  echo "moto_server: installed in $VENV (set MOTO_SERVER_BIN=$VENV/bin/moto_server, or the tests find it there)"
  exit 0
fi
echo "moto_server: installed ($(command -v moto_server || echo "$("$PYTHON" -c 'import sys; print(sys.prefix)')/bin/moto_server"))"
