#!/usr/bin/env bash
# Everything the deploy tests need (test/deploy-*.test.ts, test/reliability/litestream.test.ts): nginx and
# caddy, podman with a static busybox and CA certificates, moto's S3 server, systemd-analyze, litestream.
set -euo pipefail
cd "$(dirname "$0")"
bash install-nginx.sh
bash install-podman.sh
bash install-moto.sh
bash apt-install.sh systemd-analyze systemd
bash install-litestream.sh
