#!/usr/bin/env bash
# Chat benchmark: chat_load_bench (tests/bench/chat_load) drives veza-server's /chat, then a
# minimal broadcast chat on node's `ws` (tests/bench/peers/chat_peer.js) speaking the same
# protocol subset, scenario by scenario, and prints the figures side by side. Each server runs
# alone (a fresh one per scenario) pinned to core 0; the load tool runs on core 1.
#
# usage: tests/bench/chat_bench.sh [idle] [fanout] [peak] [rooms]     (default: all four)
#
# Environment (default):
#   BUILD_DIR            build directory holding server/veza-server and the tool (build)
#   SERVERS              servers to drive, in order ("veza node")
#   IDLE_CONNECTIONS     19000           FANOUT_RECEIVERS  1000   FANOUT_RATE  100
#   FANOUT_DURATION      10              PEAK_RECEIVERS    1000   PEAK_STEP_S  4
#   PEAK_STEPS           100,200,500,1000,1500,2000,3000 (messages/s)
#   ROOMS_CONNECTIONS    10000           ROOMS_ROOM_SIZE   10     ROOMS_DURATION 10
#   PHASE_TIMEOUT_S      30 (bound of every connection set-up phase)
#   VEZA_LOG_LEVEL       warn            KEEP_LOGS=1 keeps the temporary folder
# veza-server gets PORT, WS_PORT, PROMETHEUS_PORT (free loopback ports), DATA_DIR (temporary),
# JWT_SECRET, MAX_CONNECTIONS=25000, MAX_CONNECTIONS_PER_IP=0 (every client is on loopback) and SQLite (DATABASE_URL unset; VEZA_DATABASE_URL, when
# set, becomes its DATABASE_URL, e.g. a PostgreSQL started by hand: see docs/performance.md);
# other veza variables set by the caller (e.g. WORKER_THREADS) pass through.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD_DIR:-build}
[[ $build == /* ]] || build=$root/$build
server=$build/server/veza-server
tool=$build/tests/bench/chat_load/chat_load_bench
peers=$root/tests/bench/peers
secret=chat-bench-jwt-secret-0123456789abcdefghijkl
servers=${SERVERS:-veza node}
timeout_s=${PHASE_TIMEOUT_S:-30}

scenarios=("$@")
[[ ${#scenarios[@]} -gt 0 ]] || scenarios=(idle fanout peak rooms)
for s in "${scenarios[@]}"; do
  case $s in idle | fanout | peak | rooms) ;; *) echo "unknown scenario: $s (idle fanout peak rooms)" >&2; exit 2 ;; esac
done
for tool_needed in taskset python3 curl node npm; do
  command -v "$tool_needed" >/dev/null || { echo "$tool_needed missing" >&2; exit 1; }
done
[[ " $servers " != *" veza "* || -x $server ]] || { echo "build veza-server first ($server)" >&2; exit 1; }
[[ -x $tool ]] || { echo "build chat_load_bench first ($tool)" >&2; exit 1; }
if [[ " $servers " == *" node "* && ! -d $peers/node_modules/ws ]]; then
  npm ci --prefix "$peers" --no-audit --no-fund >/dev/null
fi
ulimit -n "$(ulimit -Hn)" # the tool and the servers hold up to ~19,000 sockets each

work=$(mktemp -d)
results=$work/results
: >"$results"
server_pid=
server_log=
stop_server() {
  [[ -n $server_pid ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}
cleanup() {
  stop_server
  if [[ ${KEEP_LOGS:-0} == 1 ]]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Warns when cores 0/1 are busy before a run (other load moves every figure).
check_quiet() {
  local before after
  before=$(grep -E '^cpu[01] ' /proc/stat)
  sleep 0.5
  after=$(grep -E '^cpu[01] ' /proc/stat)
  printf '%s\n%s\n' "$before" "$after" | awk '
    { t = 0; for (i = 2; i <= NF; i++) t += $i; idle = $5 + $6
      if ($1 in total) { busy = 100 * (1 - (idle - idle0[$1]) / (t - total[$1]))
                         if (busy > 15) msg = msg sprintf(" %s %.0f%%", $1, busy) }
      else { total[$1] = t; idle0[$1] = idle } }
    END { if (msg != "") print "warning: machine not quiet before the run, busy:" msg }'
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_server NAME: sets server_pid and ws_port, or returns 1.
start_server() {
  local name=$1 dir
  dir=$(mktemp -d "$work/$name.XXXX")
  server_log=$dir/server.log
  ws_port=$(free_port)
  if [[ $name == veza ]]; then
    local http_port prom_port
    http_port=$(free_port)
    prom_port=$(free_port)
    # cwd = the data dir, so the default DATABASE_URL (sqlite://var/veza.db) lands under it.
    (cd "$dir" && exec env -u DATABASE_URL ${VEZA_DATABASE_URL:+DATABASE_URL="$VEZA_DATABASE_URL"} \
      HOST=127.0.0.1 PORT="$http_port" WS_PORT="$ws_port" \
      PROMETHEUS_PORT="$prom_port" DATA_DIR="$dir" JWT_SECRET="$secret" MAX_CONNECTIONS=25000 MAX_CONNECTIONS_PER_IP=0 \
      LOG_LEVEL="${VEZA_LOG_LEVEL:-warn}" taskset -c 0 "$server" >"$dir/server.log" 2>&1) &
    server_pid=$!
    for _ in $(seq 100); do
      curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null && port_open "$ws_port" && return 0
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
  else
    (cd "$peers" && exec env HOST=127.0.0.1 PORT="$ws_port" taskset -c 0 node chat_peer.js \
      >"$dir/server.log" 2>&1) &
    server_pid=$!
    for _ in $(seq 100); do
      port_open "$ws_port" && return 0
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  echo "$name did not start:" >&2
  tail -n 5 "$server_log" >&2
  stop_server
  return 1
}

scenario_args() {
  case $1 in
    idle) echo "--connections ${IDLE_CONNECTIONS:-19000} --hold 3" ;;
    fanout) echo "--receivers ${FANOUT_RECEIVERS:-1000} --rate ${FANOUT_RATE:-100} --duration ${FANOUT_DURATION:-10}" ;;
    peak) echo "--receivers ${PEAK_RECEIVERS:-1000} --steps ${PEAK_STEPS:-100,200,500,1000,1500,2000,3000} --step ${PEAK_STEP_S:-4}" ;;
    rooms) echo "--connections ${ROOMS_CONNECTIONS:-10000} --room-size ${ROOMS_ROOM_SIZE:-10} --duration ${ROOMS_DURATION:-10}" ;;
  esac
}

echo "chat benchmark: $(nproc) cores, servers on core 0, chat_load_bench on core 1; scenarios: ${scenarios[*]}"
for scenario in "${scenarios[@]}"; do
  for name in $servers; do
    echo "== $scenario on $name"
    check_quiet
    start_server "$name" || continue
    # shellcheck disable=SC2046 # the scenario's options are split on purpose
    timeout -k 5 240 taskset -c 1 "$tool" "$scenario" $(scenario_args "$scenario") \
      --port "$ws_port" --secret "$secret" --server-pid "$server_pid" --label "$name" \
      --timeout "$timeout_s" | tee "$work/$name.$scenario.out" || echo "chat_load_bench exited with status $?"
    grep '^RESULT ' "$work/$name.$scenario.out" >>"$results" || true
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "$name DIED during $scenario; last lines of its log:"
      tail -n 5 "$server_log"
    fi
    stop_server
  done
done

# Side by side: one row per figure and value, the first two servers as columns and their ratio.
echo
read -r first second _ <<<"$servers"
awk -v a="$first" -v b="${second:-}" '
  {
    fig = $2; srv = ""
    for (i = 3; i <= NF; i++) {
      split($i, kv, "=")
      if (kv[1] == "server") { srv = kv[2]; continue }
      key = fig SUBSEP kv[1]
      if (!(key in seen)) { seen[key] = 1; order[++n] = key }
      value[key, srv] = kv[2]
    }
  }
  function num(v) { return v ~ /^-?[0-9]+(\.[0-9]+)?$/ }
  END {
    printf "%-10s %-28s %14s %14s %8s\n", "figure", "value", a, b, (b == "" ? "" : a "/" b)
    for (i = 1; i <= n; i++) {
      split(order[i], fk, SUBSEP)
      va = ((order[i], a) in value) ? value[order[i], a] : "-"
      vb = ((order[i], b) in value) ? value[order[i], b] : "-"
      ratio = (num(va) && num(vb) && vb + 0 != 0) ? sprintf("%.2f", va / vb) : ""
      printf "%-10s %-28s %14s %14s %8s\n", fk[1], fk[2], va, vb, ratio
    }
  }' "$results"
