#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster (Debian's postgresql, no systemd):
# initdb in a temporary folder, start on a free loopback port, export DATABASE_URL,
# run the command, stop and delete the cluster whatever happens.
#   scripts/with-postgres.sh .venv/bin/pytest
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
  echo "PostgreSQL is not installed: run scripts/setup.sh test (apt-get install postgresql)." >&2
  exit 1
fi

dir=$(mktemp -d /tmp/wardsafe-pg.XXXXXX)
port=${WARDSAFE_PG_PORT:-$(( 20000 + RANDOM % 20000 ))}
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$dir"
  as_postgres=(runuser -u postgres --)
fi

stop() {
  "${as_postgres[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_postgres[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_postgres[@]}" "$bindir/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" start \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
"${as_postgres[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres wardsafe

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/wardsafe"
# For a script that restarts the server (scripts/scale/scale_run.py): where it is and how it runs.
export WARDSAFE_PG_BIN="$bindir" WARDSAFE_PG_DATA="$dir/data" WARDSAFE_PG_LOG="$dir/server.log"
export WARDSAFE_PG_OPTIONS="-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
echo "==> PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on port $port" >&2
"$@"
