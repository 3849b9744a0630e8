#!/usr/bin/env bash
# Chat on PostgreSQL next to its floor, in one throwaway PostgreSQL 15 (fsync and
# synchronous_commit on, pinned to core 1 with the load tool): RUNS times, `chat_bench.sh rooms`
# against veza-server (1,000 messages/s, each committed before its ack), then pgbench
# committing single-row inserts at the same 1,000 per second on 4 connections (a commit in
# flight does not hold the next one back), its latency counted from each transaction's
# scheduled start, so a disk flush stall costs it what it costs the server. Then the same
# `rooms` load on node's `ws` broadcast peer (no database, no checks: what delivery alone costs
# on this machine with the same placement) and on SQLite (NORMAL, then FULL), for the ratios in
# the same session. Each run's databases are dropped when it ends, so that autovacuum does not
# work through earlier runs' tables on PostgreSQL's core during the next one.
#
# usage: tests/bench/pg_floor.sh
# Environment: BUILD_DIR (build), RUNS (2), DURATION (10 s per run and per floor), PG_PORT
# (55432), SQLITE (1; 0 skips the SQLite runs), NODE (1; 0 skips the node peer).
# Figures: docs/performance.md, "Chat on PostgreSQL: group commit".
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
runs=${RUNS:-2}
duration=${DURATION:-10}
port=${PG_PORT:-55432}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x $pg_bin/initdb ]] || { echo "PostgreSQL missing (apt install postgresql)" >&2; exit 1; }
command -v pgbench >/dev/null || { echo "pgbench missing (apt install postgresql-contrib)" >&2; exit 1; }

work=$(mktemp -d)
chmod 755 "$work"
as_postgres=()
if [[ $(id -u) == 0 ]]; then
  as_postgres=(runuser -u postgres --)
  chown postgres "$work"
fi
cleanup() {
  "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"${as_postgres[@]}" "$pg_bin/initdb" -D "$work/data" -A trust -U veza >/dev/null
"${as_postgres[@]}" taskset -c 1 "$pg_bin/pg_ctl" -D "$work/data" -l "$work/log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
psql=(psql -h 127.0.0.1 -p "$port" -U veza -Atq)
echo "fsync=$("${psql[@]}" -d postgres -c 'show fsync') synchronous_commit=$("${psql[@]}" -d postgres -c 'show synchronous_commit')"
# A fresh cluster creates each WAL segment (16 MB, zero-filled and synced) when it first needs
# one; a server that has run a while reuses old ones. The first 30 s run on a fresh cluster made
# three and had a P99 of 106 ms against 8.6 ms for the second (docs/performance.md, "One
# statement a batch"). So the segments a run needs are made and recycled before the first.
"${psql[@]}" -d postgres -c "create table warm_wal as select g, repeat('x', 200) as pad from generate_series(1, 600000) g" \
  -c "drop table warm_wal" -c "checkpoint"

# rooms_run LABEL VAR=value...: one `chat_bench.sh rooms` run with those variables, its figures
# printed after "run N, LABEL:".
rooms_run() {
  local label=$1
  shift
  env "$@" ROOMS_DURATION="$duration" BUILD_DIR="${BUILD_DIR:-build}" \
    "$root/tests/bench/chat_bench.sh" rooms 2>&1 |
    grep -E '^RESULT' | grep -oE 'p50_ms=[0-9.]+ p99_ms=[0-9.]+ max_ms=[0-9.]+ lost=[0-9]+' |
    sed "s/^/run $run, $label: /"
}

for run in $(seq "$runs"); do
  "${psql[@]}" -d postgres -c "create database chat$run"
  rooms_run veza-server SERVERS=veza VEZA_DATABASE_URL="postgresql://veza@127.0.0.1:$port/chat$run"

  "${psql[@]}" -d postgres -c "create database floor$run"
  "${psql[@]}" -d "floor$run" \
    -c "create table m (id bigserial primary key, room bigint, body bytea, created_at bigint)"
  echo "INSERT INTO m (room, body, created_at) VALUES (1, '\\x$(printf '%064x' 0)', 1);" >"$work/insert.sql"
  rm -f "$work"/pgbench_log.*
  (cd "$work" && taskset -c 1 pgbench -h 127.0.0.1 -p "$port" -U veza -n -c 4 -j 1 -R 1000 -T "$duration" \
    -l -f insert.sql "floor$run" >/dev/null 2>&1)
  # FORCE: a session left behind must not stop the script here.
  "${psql[@]}" -d postgres -c "drop database chat$run with (force)" \
    -c "drop database floor$run with (force)"
  # pgbench -l with -R: client, transaction, latency (us), script, epoch, epoch us, schedule lag (us)
  python3 - "$run" "$work" <<'PY'
import glob, sys
run, work = sys.argv[1], sys.argv[2]
lat = sorted(int(f[2]) + int(f[6]) for path in glob.glob(work + '/pgbench_log.*')
             for f in (line.split() for line in open(path)))
n = len(lat)
print(f"run {run}, the floor: {n} commits at 1,000/s on 4 connections, from scheduled start "
      f"p50_ms={lat[n // 2] / 1000:.2f} p99_ms={lat[int(n * 0.99)] / 1000:.2f} max_ms={lat[-1] / 1000:.2f}")
PY

  if [[ ${NODE:-1} == 1 ]]; then
    rooms_run "node ws (no database)" SERVERS=node
  fi
  if [[ ${SQLITE:-1} == 1 ]]; then
    for sync in normal full; do
      rooms_run "SQLite $sync" SERVERS=veza SQLITE_SYNCHRONOUS="$sync"
    done
  fi
done
