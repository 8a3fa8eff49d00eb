#!/usr/bin/env bash
# Idempotent set-up shared by `make run` and `make test`: Debian packages that are
# missing, a Python >= 3.12 virtualenv, and the pip requirements. A warm machine
# skips every step (dpkg -s and a requirements hash say what is already there).
#   scripts/setup.sh app     packages the app needs (WeasyPrint, fonts, gettext)
#   scripts/setup.sh test    plus what the test suite needs (poppler, chromium, postgresql)
set -euo pipefail
cd "$(dirname "$0")/.."

purpose=${1:-app}
venv=${VENV:-.venv}

app_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-symbola gettext)
test_packages=(poppler-utils chromium postgresql)

log() { printf '==> %s\n' "$*" >&2; }

install_debian_packages() {
  local missing=()
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
      echo "Missing Debian packages and not root. Run:" >&2
      echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python() {
  local cand
  for cand in python3.13 python3.12 /root/.pyenv/versions/3.13*/bin/python /root/.pyenv/versions/3.12*/bin/python \
              "$HOME"/.pyenv/versions/3.13*/bin/python "$HOME"/.pyenv/versions/3.12*/bin/python; do
    if command -v "$cand" >/dev/null 2>&1 || [ -x "$cand" ]; then
      if "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
        command -v "$cand" 2>/dev/null || echo "$cand"
        return 0
      fi
    fi
  done
  echo "WardSafe needs Python 3.12 or newer (Django 6). Install python3.12 and run again." >&2
  exit 1
}

make_venv() {
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    local py
    py=$(find_python)
    log "creating $venv with $py"
    rm -rf "$venv"
    "$py" -m venv "$venv"
  fi
}

install_requirements() {
  local files=("$@") stamp="$venv/.requirements-$purpose.sha"
  local sum
  sum=$(cat "${files[@]}" | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then return 0; fi
  log "installing Python requirements (${files[*]})"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "${files[-1]}"
  echo "$sum" > "$stamp"
}

case "$purpose" in
  app)
    install_debian_packages "${app_packages[@]}"
    make_venv
    install_requirements requirements.txt
    ;;
  test)
    install_debian_packages "${app_packages[@]}" "${test_packages[@]}"
    make_venv
    install_requirements requirements.txt requirements-dev.txt
    ;;
  *) echo "usage: $0 app|test" >&2; exit 2 ;;
esac
