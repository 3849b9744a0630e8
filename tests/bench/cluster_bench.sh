#!/usr/bin/env bash
# Several instances on one box: INSTANCES veza-server processes (one port each) on one
# PostgreSQL and one Redis, each with its own chat_load_bench holding CONNECTIONS/INSTANCES
# authenticated members of the same rooms, ROOM_SIZE of every room on each instance, so every
# message crosses Redis to every instance. Each delivery rate of RATES (deliveries/s across the
# deployment) runs for DURATION s; then, where it fits, the same load on one instance (its
# connections only, rooms of INSTANCES*ROOM_SIZE members, the same deliveries/s).
#
# usage: tests/bench/cluster_bench.sh
#
# Environment (default):
#   BUILD_DIR   build directory with server/veza-server and the load tool (build-release)
#   INSTANCES 6   CONNECTIONS 102000   ROOM_SIZE 10   RATES "10000 100000"   DURATION 10
#   SETUP_S 240   seconds allowed to open, authenticate and join every member
#   SINGLE 1      also run each rate on one instance (0: skip)
#   KEEP_LOGS=1 keeps the temporary folder
# Prints per instance the tool's RESULT line, then per run: deliveries/s, P50 (median of the
# instances') and P99 (worst instance), lost deliveries, total server RSS per connection, and
# Redis CPU per message.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD_DIR:-build-release}
[[ $build == /* ]] || build=$root/$build
server=$build/server/veza-server
tool=$build/tests/bench/chat_load/chat_load_bench
instances=${INSTANCES:-6}
connections=${CONNECTIONS:-102000}
room_size=${ROOM_SIZE:-10}
rates=${RATES:-10000 100000}
duration=${DURATION:-10}
setup_s=${SETUP_S:-240}
secret=cluster-bench-jwt-secret-0123456789abcdefghij
for needed in "$server" "$tool"; do
  [[ -x $needed ]] || { echo "build first: $needed" >&2; exit 1; }
done
for needed in redis-server python3 curl; do
  command -v "$needed" >/dev/null || { echo "$needed missing" >&2; exit 1; }
done
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x $pg_bin/initdb ]] || { echo "PostgreSQL missing (apt install postgresql)" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d)
chmod 755 "$work"
pids=()
pg_data=$work/pg
as_postgres=()
[[ $(id -u) == 0 ]] && as_postgres=(runuser -u postgres --)
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -d $pg_data ]] && "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1 || true
  if [[ ${KEEP_LOGS:-0} == 1 ]]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

# PostgreSQL with its defaults (fsync and synchronous_commit on), and Redis without persistence.
pg_port=$(free_port)
mkdir -p "$pg_data"
[[ ${#as_postgres[@]} -gt 0 ]] && chown postgres "$work" "$pg_data"
"${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_data" -A trust -U veza >/dev/null
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/log" -w \
  -o "-p $pg_port -k $pg_data -c listen_addresses=127.0.0.1 -c max_connections=400" start >/dev/null
redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --dir "$work" \
  >"$work/redis.log" 2>&1 &
redis_pid=$!
pids+=("$redis_pid")

server_pids=()
ws_ports=()
run_index=0
# start_instances N: N servers on a fresh database, one port each.
start_instances() {
  local count=$1 database i dir http prom
  run_index=$((run_index + 1))
  database=bench$run_index
  "${as_postgres[@]}" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U veza -d postgres \
    -c "create database $database" >/dev/null
  server_pids=()
  ws_ports=()
  local redis_url="redis://127.0.0.1:$redis_port/0"
  [[ $count -gt 1 ]] || redis_url=
  for ((i = 0; i < count; i++)); do
    dir=$work/run$run_index-$i
    mkdir -p "$dir"
    http=$(free_port)
    prom=$(free_port)
    ws_ports+=("$(free_port)")
    # One instance runs alone, as a deployment without Redis does.
    env DATABASE_URL="postgresql://veza@127.0.0.1:$pg_port/$database" \
      ${redis_url:+REDIS_URL="$redis_url"} HOST=127.0.0.1 PORT="$http" \
      WS_PORT="${ws_ports[$i]}" PROMETHEUS_PORT="$prom" DATA_DIR="$dir" JWT_SECRET="$secret" \
      WORKER_THREADS=1 MAX_CONNECTIONS=25000 MAX_CONNECTIONS_PER_IP=0 MAX_CONNECTIONS_PER_USER=0 \
      DATABASE_POOL_SIZE=8 LOG_LEVEL="${VEZA_LOG_LEVEL:-warn}" "$server" >"$dir/server.log" 2>&1 &
    server_pids+=("$!")
    pids+=("$!")
    for _ in $(seq 200); do
      curl -sf "http://127.0.0.1:$http/health/ready" >/dev/null && break
      sleep 0.1
    done
  done
}

stop_instances() {
  for pid in "${server_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${server_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}

# run LABEL COUNT MEMBERS_PER_INSTANCE_PER_ROOM CONNECTIONS_PER_INSTANCE DELIVERIES_PER_S
run() {
  local label=$1 count=$2 size=$3 per=$4 deliveries=$5 i rooms msgs room_rate start_at
  per=$((per / size * size)) # whole rooms only
  start_instances "$count"
  rooms=$((per / size))
  # deliveries/s = messages/s x members of a room (count x size)
  msgs=$(python3 -c "print($deliveries / ($count * $size))")
  room_rate=$(python3 -c "print($msgs / $rooms)")
  start_at=$(($(date +%s%3N) + setup_s * 1000))
  echo "== $label: $count instance(s), $((count * per)) connections, $rooms rooms of $((count * size)) members, $msgs messages/s, target $deliveries deliveries/s"
  local redis_before tools=()
  for ((i = 0; i < count; i++)); do
    "$tool" rooms --connections "$per" --room-size "$size" --room-rate "$room_rate" \
      --duration "$duration" --port "${ws_ports[$i]}" --secret "$secret" \
      --server-pid "${server_pids[$i]}" --label "$label-$i" --user-offset $((i * 1000000)) \
      --peers "$count" --peer-index "$i" --start-at "$start_at" --timeout "$setup_s" \
      --sources 4 >"$work/$label.$i.out" 2>&1 &
    tools+=("$!")
  done
  # Redis's CPU over the publishing, from the agreed start.
  sleep $(((start_at - $(date +%s%3N)) / 1000 > 0 ? (start_at - $(date +%s%3N)) / 1000 : 0))
  redis_before=$(cpu_ticks "$redis_pid")
  local rss_total=0
  for pid in "${server_pids[@]}"; do rss_total=$((rss_total + $(rss_kb "$pid"))); done
  for pid in "${tools[@]}"; do wait "$pid" || true; done
  local redis_ticks=$(($(cpu_ticks "$redis_pid") - redis_before))
  grep -h '^RESULT ' "$work/$label".*.out | tee -a "$work/results" || true
  grep -h 'members authenticated' "$work/$label".*.out || true
  python3 - "$work" "$label" "$count" "$per" "$rss_total" "$redis_ticks" "$(getconf CLK_TCK)" \
    "$duration" <<'EOF' | tee -a "$work/summary"
import glob, statistics, sys
work, label, count, per, rss, ticks, hz, duration = sys.argv[1:]
rows = []
for path in sorted(glob.glob(f"{work}/{label}.*.out")):
    for line in open(path):
        if line.startswith("RESULT "):
            rows.append(dict(kv.split("=", 1) for kv in line.split()[2:] if "=" in kv))
if not rows:
    print(f"{label}: no result"); sys.exit()
def total(key): return sum(float(r.get(key, 0)) for r in rows)
p50 = statistics.median(float(r["p50_ms"]) for r in rows)
p99 = max(float(r["p99_ms"]) for r in rows)
connections = int(count) * int(per)
messages = float(rows[0]["msgs_per_s"]) * float(duration)  # the same schedule in every tool
redis_cpu_s = int(ticks) / int(hz)
print(f"SUMMARY {label} instances={count} connections={connections} "
      f"deliveries_per_s={total('deliveries_per_s'):.0f} p50_ms={p50:.2f} p99_ms={p99:.2f} "
      f"lost={total('lost'):.0f} expected={total('expected'):.0f} "
      f"rss_per_connection_kb={int(rss) / connections:.1f} "
      f"redis_cpu_us_per_message={1e6 * redis_cpu_s / max(messages, 1):.1f}")
EOF
  stop_instances
}

per_instance=$((connections / instances))
echo "cluster benchmark: $(nproc) cores, $instances instances, $connections connections"
for deliveries in $rates; do
  run "cluster-$deliveries" "$instances" "$room_size" "$per_instance" "$deliveries"
  if [[ ${SINGLE:-1} == 1 ]]; then
    run "single-$deliveries" 1 $((instances * room_size)) "$per_instance" "$deliveries"
  fi
done
echo
cat "$work/summary"
