#!/usr/bin/env bash
# What the multi-server set-up needs on top of `scripts/setup.sh test` (PostgreSQL): Debian's
# nginx (the proxy in front of the two gunicorn instances) and wrk (the HTTP figures). Installs
# only what dpkg says is missing, so a warm machine skips it; not root: sudo, or the command to run.
set -euo pipefail
cd "$(dirname "$0")/../.."
missing=()
for p in nginx wrk postgresql; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "==> installing Debian packages: ${missing[*]}" >&2
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "Missing Debian packages and not root. Run:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
