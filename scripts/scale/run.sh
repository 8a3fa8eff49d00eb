#!/usr/bin/env bash
# The scale run, one command from a fresh clone (see README "Deploying" → "Several app servers"):
#   bash scripts/scale/run.sh                 # 15 wards / 600 beds, 120 s of load
#   bash scripts/scale/run.sh --seconds 60    # shorter
#   bash scripts/scale/run.sh --serve         # only start the stack and wait (Ctrl-C stops it)
# It installs what is missing (scripts/setup.sh test, nginx, wrk), makes a throwaway PostgreSQL
# cluster (scripts/with-postgres.sh) and runs scripts/scale/scale_run.py against it.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup.sh test
bash scripts/scale/setup.sh
exec bash scripts/with-postgres.sh "${VENV:-.venv}/bin/python" scripts/scale/scale_run.py "$@"
