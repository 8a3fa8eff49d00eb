#!/usr/bin/env bash
# Production server: gunicorn (2 sync workers suit these 2-core machines; a request that
# runs past 60 s is killed and logged) plus the background worker for whole-ward print runs,
# restarted by scripts/print-worker.sh if it exits. Both stop together. Needs the production
# environment (see README "Deploying"):
#   WARDSAFE_PRODUCTION=true DJANGO_SECRET_KEY=... DJANGO_ALLOWED_HOSTS=... DATABASE_URL=postgres://...
#   scripts/serve-prod.sh            # binds 127.0.0.1:8000 behind the reverse proxy (BIND= to change)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-.venv}

if [ "${WARDSAFE_PRODUCTION:-}" != "true" ]; then
  echo "serve-prod.sh runs WardSafe in production mode: set WARDSAFE_PRODUCTION=true and the settings" >&2
  echo "listed in README.md (Deploying). For development use 'make run'." >&2
  exit 1
fi

"$venv/bin/python" manage.py check --deploy --fail-level WARNING
"$venv/bin/python" manage.py migrate --noinput
"$venv/bin/python" manage.py compilemessages --ignore="$venv" -v 0
"$venv/bin/python" manage.py collectstatic --noinput -v 0
"$venv/bin/python" manage.py load_content

PY="$venv/bin/python" setsid bash scripts/print-worker.sh &
worker=$!
stop_worker() {
  trap - EXIT INT TERM
  kill -TERM -- "-$worker" 2>/dev/null || kill -TERM "$worker" 2>/dev/null || true
  wait "$worker" 2>/dev/null || true
}
trap stop_worker EXIT INT TERM

"$venv/bin/gunicorn" wardsafe.wsgi \
  --bind "${BIND:-127.0.0.1:8000}" \
  --workers "${WEB_CONCURRENCY:-2}" \
  --timeout "${GUNICORN_TIMEOUT:-60}" \
  --graceful-timeout 30 \
  --max-requests 2000 --max-requests-jitter 200 \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
  --access-logfile - --error-logfile -
