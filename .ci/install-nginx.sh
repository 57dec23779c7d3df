#!/usr/bin/env bash
# nginx for test/deploy-proxy.test.ts (the shipped deploy/nginx/pocketbase.conf in front of a real engine)
# and caddy to validate deploy/caddy/Caddyfile. The tests start their own nginx on a free port: the
# package's service is not needed (and not started where systemd is not running).
set -euo pipefail
cd "$(dirname "$0")"
bash apt-install.sh nginx nginx
bash apt-install.sh caddy caddy
