#!/usr/bin/env bash
# podman, Debian's static busybox and CA certificates for the container image (npm run image,
# test/deploy-image.test.ts). podman builds the FROM-scratch image offline; nothing runs a container.
set -euo pipefail
cd "$(dirname "$0")"
bash apt-install.sh podman podman
# The image's shell must be static (the image has no libc); Debian's plain busybox package is not.
if ! dpkg -s busybox-static >/dev/null 2>&1 || [ ! -s /etc/ssl/certs/ca-certificates.crt ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends busybox-static ca-certificates >/dev/null
fi
echo "podman: $(podman --version); $(/bin/busybox | head -1)"
