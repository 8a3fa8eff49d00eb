#!/usr/bin/env bash
# The background worker for whole-ward print runs (`manage.py db_worker`), restarted when it exits.
# django-tasks-db's worker survives a locked SQLite database while it looks for a task, but any
# other database error (PostgreSQL restarting, a lost connection, a lock while it saves a result)
# ends the process; so does an out-of-memory kill. This loop starts it again after a short pause
# that doubles with each quick exit (1, 2, 4 … 30 s). After WORKER_MAX_RESTARTS exits in a row,
# each within a minute of its start, it gives up and says so (print runs then stay "waiting").
# A worker that ran for longer resets the count.
#
# Beside the worker, `manage.py prune_print_runs` runs at start and every WORKER_PRUNE_SECONDS
# (3600 by default; 0 turns it off): it fails print runs with no progress for WARDSAFE_PRINT_STALE_MINUTES and
# deletes print-run PDFs and task results older than WARDSAFE_PRINT_RETENTION_HOURS. A failed
# prune (a locked or restarting database) is tried again at the next round.
#
# Likewise `manage.py quality_slots_refresh` runs at start and every WORKER_SLOTS_SECONDS (900 by
# default; 0 turns it off): it marks the item-slots of the shifts that ended as due, so that the
# quality pages count the slots nobody recorded as missed without a cron job. A failed refresh is
# tried again at the next round (each ward's marker says how far it got).
#
# serve-dev.sh and serve-prod.sh start it with setsid and stop its whole process group: the
# worker then gets one SIGTERM (it finishes the sheet it is laying out) and this loop, on its
# own SIGTERM, stops restarting and waits for it.
#   scripts/print-worker.sh [db_worker arguments]        PY=.venv/bin/python by default
set -uo pipefail
cd "$(dirname "$0")/.."
py=${PY:-${VENV:-.venv}/bin/python}
max_restarts=${WORKER_MAX_RESTARTS:-10}
first_delay=${WORKER_RESTART_DELAY:-1}
steady_seconds=${WORKER_STEADY_SECONDS:-60}
prune_seconds=${WORKER_PRUNE_SECONDS:-3600}
slots_seconds=${WORKER_SLOTS_SECONDS:-900}

child=""
pause=""
pruner=""
refresher=""
stopping() {
  trap - TERM INT
  [ -n "$pruner" ] && kill "$pruner" 2>/dev/null
  [ -n "$refresher" ] && kill "$refresher" 2>/dev/null
  [ -n "$pause" ] && kill "$pause" 2>/dev/null
  [ -n "$child" ] && wait "$child" 2>/dev/null
  exit 0
}
trap stopping TERM INT

prune_loop() {
  trap 'exit 0' TERM
  while :; do
    "$py" manage.py prune_print_runs --verbosity 0 || echo "print-worker: pruning old print runs failed; trying again later." >&2
    sleep "$prune_seconds" &
    wait $!
  done
}
if [ "$prune_seconds" -gt 0 ]; then  # 0: no pruning here (cron does it, or a test)
  prune_loop &
  pruner=$!
fi

slots_loop() {
  trap 'exit 0' TERM
  while :; do
    "$py" manage.py quality_slots_refresh --verbosity 0 ||
      echo "print-worker: refreshing the quality item-slots failed; trying again later." >&2
    sleep "$slots_seconds" &
    wait $!
  done
}
if [ "$slots_seconds" -gt 0 ]; then  # 0: no refresh here (cron does it, or a test)
  slots_loop &
  refresher=$!
fi

quick_exits=0
delay=$first_delay
while :; do
  started=$SECONDS
  "$py" manage.py db_worker --queue-name '*' "$@" &
  child=$!
  wait "$child"
  status=$?
  child=""
  if [ $((SECONDS - started)) -ge "$steady_seconds" ]; then
    quick_exits=0
    delay=$first_delay
  fi
  quick_exits=$((quick_exits + 1))
  if [ "$quick_exits" -gt "$max_restarts" ]; then
    echo "print-worker: the print worker exited $quick_exits times in a row (last status $status);" \
      "giving up. Print runs wait until it is started again (see the log above)." >&2
    exit 1
  fi
  echo "print-worker: the print worker exited with status $status; restarting in ${delay} s" \
    "($quick_exits of $max_restarts)." >&2
  sleep "$delay" &  # in the background, so that a SIGTERM does not wait for the pause to end
  pause=$!
  wait "$pause"
  pause=""
  delay=$((delay * 2 > 30 ? 30 : delay * 2))
done
