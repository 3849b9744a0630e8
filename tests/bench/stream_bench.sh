#!/usr/bin/env bash
# Streaming benchmark, HTTP listeners: stream_load_bench (tests/bench/stream_load) attaches N
# MP3 listeners to veza-server's /live/bench, then to Icecast 2's (Debian's icecast2, from a
# throwaway icecast.xml) fed the same 128 kbps MP3 by ffmpeg, scenario by scenario, and prints
# the figures side by side. Each server runs alone (a fresh one per scenario, with its own
# ffmpeg source) pinned to core 0; the load tool and ffmpeg run on core 1.
#
# usage: tests/bench/stream_bench.sh [http5k] [http19k]     (default: both)
#   http5k   5,000 listeners at a 250/s connect ramp (also the first-byte "ramp" figure)
#   http19k  19,000 listeners at a 1,000/s connect ramp (the per-process file limit)
#
# Environment (default):
#   BUILD_DIR        build directory holding server/veza-server and the tool (build)
#   SERVERS          servers to drive, in order ("veza icecast")
#   HTTP5K_LISTENERS 5000    HTTP5K_RAMP 250     HTTP19K_LISTENERS 19000   HTTP19K_RAMP 1000
#   DURATION         20 (steady window, s)       SETTLE 3 (s between the ramp and the window)
#   FIRST_BYTE_TIMEOUT 15 (a listener without audio this long after its connect has failed)
#   SOURCES          8 (loopback source addresses of the listeners)
#   VEZA_LOG_LEVEL   warn    KEEP_LOGS=1 keeps the temporary folder
# A listener is "at full rate" when it is still connected at the end of the steady window and
# received during it at least 95% of 128 kbit/s × the window (the burst-on-connect is over
# before the window opens). Icecast gets burst-size 16000 bytes (about 1 s, as veza's burst)
# and queue-size 512 KiB (its default).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD_DIR:-build}
[[ $build == /* ]] || build=$root/$build
server=$build/server/veza-server
tool=$build/tests/bench/stream_load/stream_load_bench
secret=stream-bench-jwt-secret-0123456789abcdefghij
source_password=stream-bench-source-password
servers=${SERVERS:-veza icecast}
duration=${DURATION:-20}
settle=${SETTLE:-3}
fb_timeout=${FIRST_BYTE_TIMEOUT:-15}
mount=/live/bench

scenarios=("$@")
[[ ${#scenarios[@]} -gt 0 ]] || scenarios=(http5k http19k)
for s in "${scenarios[@]}"; do
  case $s in http5k | http19k) ;; *) echo "unknown scenario: $s (http5k http19k)" >&2; exit 2 ;; esac
done
for tool_needed in taskset python3 curl ffmpeg timeout; do
  command -v "$tool_needed" >/dev/null || { echo "$tool_needed missing" >&2; exit 1; }
done
[[ " $servers " != *" veza "* || -x $server ]] || { echo "build veza-server first ($server)" >&2; exit 1; }
[[ " $servers " != *" icecast "* ]] || command -v icecast2 >/dev/null ||
  { echo "icecast2 missing (packaging/install-deps.sh)" >&2; exit 1; }
[[ -x $tool ]] || { echo "build stream_load_bench first ($tool)" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)" # the tool and the servers hold up to ~19,000 sockets each

work=$(mktemp -d)
chmod 755 "$work" # icecast drops root for nobody and writes its logs below
results=$work/results
: >"$results"
server_pid=
source_pid=
server_log=
stop_pid() { # stop_pid PID: TERM, up to 5 s, then KILL
  local pid=$1
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
stop_server() {
  stop_pid "$source_pid"
  source_pid=
  stop_pid "$server_pid"
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
# Bytes of the mount a listener gets in 1.5 s (0 while the stream is not live).
mount_bytes() {
  curl -sf --max-time 1.5 -o - "http://127.0.0.1:$1$mount" 2>/dev/null | wc -c || true
}

write_icecast_xml() { # write_icecast_xml DIR PORT
  local dir=$1 port=$2 security=
  if [[ $(id -u) -eq 0 ]]; then
    # icecast2 refuses to run as root: it drops to nobody after binding its port.
    security="<security><chroot>0</chroot><changeowner><user>nobody</user><group>nogroup</group></changeowner></security>"
  fi
  cat >"$dir/icecast.xml" <<XML
<icecast>
  <location>loopback</location><admin>bench@localhost</admin><hostname>127.0.0.1</hostname>
  <limits>
    <clients>25000</clients><sources>2</sources><threadpool>5</threadpool>
    <queue-size>524288</queue-size><burst-on-connect>1</burst-on-connect><burst-size>16000</burst-size>
    <client-timeout>30</client-timeout><header-timeout>15</header-timeout><source-timeout>10</source-timeout>
  </limits>
  <authentication>
    <source-password>$source_password</source-password><relay-password>$source_password</relay-password>
    <admin-user>admin</admin-user><admin-password>$source_password</admin-password>
  </authentication>
  <listen-socket><port>$port</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <fileserve>1</fileserve>
  <paths>
    <basedir>/usr/share/icecast2</basedir><logdir>$dir</logdir>
    <webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot>
  </paths>
  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>2</loglevel></logging>
  $security
</icecast>
XML
}

# start_server NAME: starts the server and its ffmpeg source; sets server_pid, source_pid,
# http_port, or returns 1.
start_server() {
  local name=$1 dir url key=
  dir=$(mktemp -d "$work/$name.XXXX")
  chmod 777 "$dir"
  server_log=$dir/server.log
  http_port=$(free_port)
  if [[ $name == veza ]]; then
    local ws_port prom_port token
    ws_port=$(free_port)
    prom_port=$(free_port)
    # cwd = the data dir, so the default DATABASE_URL (sqlite://var/veza.db) lands under it.
    (cd "$dir" && exec env -u DATABASE_URL HOST=127.0.0.1 PORT="$http_port" WS_PORT="$ws_port" \
      PROMETHEUS_PORT="$prom_port" DATA_DIR="$dir" JWT_SECRET="$secret" MAX_CONNECTIONS=25000 \
      MAX_LISTENERS_PER_STREAM=25000 LOG_LEVEL="${VEZA_LOG_LEVEL:-warn}" \
      taskset -c 0 "$server" >"$server_log" 2>&1) &
    server_pid=$!
    for _ in $(seq 100); do
      curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null && break
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    token=$(cd "$dir" && env -u DATABASE_URL DATA_DIR="$dir" JWT_SECRET="$secret" \
      "$server" token --user bench --roles broadcaster --ttl 1h 2>/dev/null) || true
    key=$(curl -s --max-time 5 -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d '{"name":"bench","title":"Bench"}' "http://127.0.0.1:$http_port/api/streams" |
      python3 -c 'import json,sys; print(json.load(sys.stdin).get("stream_key",""))' 2>/dev/null) || true
  else
    write_icecast_xml "$dir" "$http_port"
    taskset -c 0 icecast2 -c "$dir/icecast.xml" >"$server_log" 2>&1 &
    server_pid=$!
    for _ in $(seq 100); do
      port_open "$http_port" && break
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    key=$source_password
    server_log="$server_log $dir/error.log"
  fi
  if [[ -n $key ]] && kill -0 "$server_pid" 2>/dev/null; then
    url="icecast://source:$key@127.0.0.1:$http_port$mount"
    taskset -c 1 ffmpeg -nostdin -hide_banner -loglevel error -re \
      -f lavfi -i sine=frequency=440:sample_rate=44100 -c:a libmp3lame -b:a 128k \
      -content_type audio/mpeg -f mp3 "$url" >"$dir/ffmpeg.log" 2>&1 &
    source_pid=$!
    for _ in $(seq 10); do
      [[ $(mount_bytes "$http_port") -gt 0 ]] && return 0
      kill -0 "$source_pid" 2>/dev/null || break
      sleep 0.5
    done
  fi
  echo "$name did not start (stream key: ${key:+yes}${key:-no}):" >&2
  # shellcheck disable=SC2086 # two log files for icecast
  tail -n 5 $server_log "$dir/ffmpeg.log" 2>/dev/null >&2 || true
  stop_server
  return 1
}

scenario_args() {
  case $1 in
    http5k) echo "--listeners ${HTTP5K_LISTENERS:-5000} --ramp ${HTTP5K_RAMP:-250}" ;;
    http19k) echo "--listeners ${HTTP19K_LISTENERS:-19000} --ramp ${HTTP19K_RAMP:-1000}" ;;
  esac
}
scenario_bound() { # seconds the tool may take: ramp + first-byte timeout + settle + window + slack
  local n r
  read -r _ n _ r <<<"$(scenario_args "$1")"
  echo $(((n + r - 1) / r + fb_timeout + settle + duration + 30))
}

echo "stream benchmark: $(nproc) cores, servers on core 0, stream_load_bench and ffmpeg on core 1;" \
  "scenarios: ${scenarios[*]}; $(icecast2 -v 2>/dev/null || true)"
for scenario in "${scenarios[@]}"; do
  for name in $servers; do
    echo "== $scenario on $name"
    check_quiet
    start_server "$name" || continue
    # shellcheck disable=SC2046 # the scenario's options are split on purpose
    timeout -k 5 "$(scenario_bound "$scenario")" taskset -c 1 "$tool" $(scenario_args "$scenario") \
      --port "$http_port" --path "$mount" --duration "$duration" --settle "$settle" \
      --timeout "$fb_timeout" --bitrate 128000 --sources "${SOURCES:-8}" \
      --server-pid "$server_pid" --label "$name" --scenario "$scenario" |
      tee "$work/$name.$scenario.out" || echo "stream_load_bench exited with status $?"
    grep '^RESULT ' "$work/$name.$scenario.out" >>"$results" || true
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "$name DIED during $scenario; last lines of its log:"
      # shellcheck disable=SC2086
      tail -n 5 $server_log
    fi
    kill -0 "$source_pid" 2>/dev/null || echo "warning: the ffmpeg source of $name ended during $scenario"
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
    printf "%-9s %-20s %12s %12s %8s\n", "scenario", "value", a, b, (b == "" ? "" : a "/" b)
    for (i = 1; i <= n; i++) {
      split(order[i], fk, SUBSEP)
      va = ((order[i], a) in value) ? value[order[i], a] : "-"
      vb = ((order[i], b) in value) ? value[order[i], b] : "-"
      ratio = (num(va) && num(vb) && vb + 0 != 0) ? sprintf("%.2f", va / vb) : ""
      printf "%-9s %-20s %12s %12s %8s\n", fk[1], fk[2], va, vb, ratio
    }
  }' "$results"
