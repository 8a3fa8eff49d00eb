#!/usr/bin/env bash
# Development server plus the background worker that makes whole-ward print runs
# (django.tasks with the database backend: `manage.py db_worker`), restarted by
# scripts/print-worker.sh if it exits. The worker runs in its own process group and is
# stopped with it when the server stops (Ctrl-C, exit or error).
#   scripts/serve-dev.sh [runserver arguments]      e.g. scripts/serve-dev.sh 127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PY:-${VENV:-.venv}/bin/python}

# setsid: the restart loop, the worker's autoreloader and its child share one group, so one
# kill stops them all.
PY=$py setsid bash scripts/print-worker.sh &
worker=$!

stop_worker() {
  trap - EXIT INT TERM
  kill -TERM -- "-$worker" 2>/dev/null || kill -TERM "$worker" 2>/dev/null || true
  wait "$worker" 2>/dev/null || true
}
trap stop_worker EXIT INT TERM

"$py" manage.py runserver "$@"
