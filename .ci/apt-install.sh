#!/usr/bin/env bash
# Installs Debian packages for the deploy tests unless their command is already there.
# Usage: bash .ci/apt-install.sh <command-to-check> <package>...   (needs root, or sudo without a password)
set -euo pipefail

check="$1"
shift
if command -v "$check" >/dev/null 2>&1 || [ -x "/usr/sbin/$check" ]; then
  echo "$check: already installed"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo -n"
  else
    echo "$check: not installed and not running as root; install it with: apt-get install -y $*" >&2
    exit 1
  fi
fi
echo "$check: installing Debian packages: $* ..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
echo "$check: installed"
