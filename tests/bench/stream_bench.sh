#!/usr/bin/env bash
# Streaming benchmark: stream_load_bench (tests/bench/stream_load) attaches listeners to
# veza-server's live stream "bench", scenario by scenario: plain HTTP MP3 listeners next to
# Icecast 2's (Debian's icecast2, from a throwaway icecast.xml) fed the same 128 kbps MP3 by
# ffmpeg; WebSocket Opus listeners (/listen/bench) with their end-to-end latency; the encoding
# ladder's cost; 20 transcoded streams at once. Each server runs alone (a fresh one per
# scenario, with its own ffmpeg sources) pinned to core 0; the load tool and ffmpeg run on
# core 1. Prints the figures side by side at the end.
#
# usage: tests/bench/stream_bench.sh [SCENARIO]...     (default: all, in this order)
#   http5k    5,000 HTTP listeners at a 250/s connect ramp (also the first-byte "ramp" figure)
#   http19k   19,000 HTTP listeners at a 1,000/s connect ramp (the per-process file limit)
#   ws5k      5,000 WebSocket listeners on /listen/bench?bitrate=128 at 250/s; the source is
#             Ogg/Opus 128k in 20 ms pages, so the 128k rendition is passed through
#   ws5k-fx   the same with the benchmark's MP3 source and the effects chain on: transcoded
#   ladder    LADDER_LISTENERS HTTP listeners on each of the six renditions (/live/bench.opus
#             ?bitrate=32|64|96|128, .mp3, .aac), effects off; server CPU over an idle baseline
#             (same source, no listener) and encode time per rendition (audio_encode_seconds)
#   streams20 STREAMS sources at once (one pre-encoded MP3 sent with -c copy), effects on for
#             each, one WebSocket listener each on ?bitrate=64 (transcoded)
# Icecast runs in http5k and http19k only; the ws5k scenarios compare with its http5k figures
# (run as a reference when http5k is not among the scenarios).
#
# Environment (default):
#   BUILD_DIR        build directory holding server/veza-server and the tool (build)
#   SERVERS          servers to drive, in order ("veza icecast")
#   HTTP5K_LISTENERS 5000    HTTP5K_RAMP 250     HTTP19K_LISTENERS 19000   HTTP19K_RAMP 1000
#   WS5K_LISTENERS   5000    WS5K_RAMP   250     LADDER_LISTENERS 5 (per rendition)
#   LADDER_IDLE      10 (s of the idle baseline)  STREAMS 20
#   LADDER_SOURCE    mp3 (the MP3 rung is then passed through; opus: the Ogg/Opus source of ws5k,
#                    which passes the 128k Opus rung through and prices the MP3 encoder)
#   DURATION         20 (steady window, s)       SETTLE 3 (s between the ramp and the window)
#   FIRST_BYTE_TIMEOUT 15 (a listener without audio this long after its connect has failed)
#   SOURCES          8 (loopback source addresses of the listeners)
#   QUIET_WAIT       0 (s to wait before each run for cores 0 and 1 to be under 15% busy)
#   VEZA_LOG_LEVEL   warn    KEEP_LOGS=1 keeps the temporary folder
#   VEZA_CORES       0 (taskset list for veza-server; "0,1" with WORKER_THREADS=2 shares core 1
#                    with the tool: a what-if, not the comparison set-up)
# An HTTP listener is "at full rate" when it is still connected at the end of the steady window
# and received during it at least 95% of its path's bitrate × the window (the burst-on-connect
# is over before the window opens); a WebSocket listener when it is still connected, received
# at least 95% of 50 packets/s × the window and no sequence number is missing. WebSocket
# latency = the tool's receive time − the packet's capture time (both Unix µs, one machine);
# the server's own stream_end_to_end_latency_seconds is read from /metrics scraped just before
# and just after the window. Icecast gets burst-size 16000 bytes (about 1 s, as veza's burst)
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
all_scenarios="http5k http19k ws5k ws5k-fx ladder streams20"
effects_on='{"high_pass_hz":80,"compressor":{"enabled":true},"limiter":{"enabled":true},"loudness":{"enabled":true}}'

scenarios=("$@")
[[ ${#scenarios[@]} -gt 0 ]] || read -r -a scenarios <<<"$all_scenarios"
for s in "${scenarios[@]}"; do
  [[ " $all_scenarios " == *" $s "* ]] || { echo "unknown scenario: $s ($all_scenarios)" >&2; exit 2; }
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
source_pids=()
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
  local pid
  for pid in "${source_pids[@]}"; do stop_pid "$pid"; done
  source_pids=()
  stop_pid "$server_pid"
  server_pid=
}
cleanup() {
  stop_server
  if [[ ${KEEP_LOGS:-0} == 1 ]]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Warns when cores 0/1 are busy before a run (other load moves every figure); with QUIET_WAIT,
# first waits up to that many seconds for them to be quiet.
busy_cores() { # prints " cpuN X%" for each of cores 0/1 busier than 15% over half a second
  local before after
  before=$(grep -E '^cpu[01] ' /proc/stat)
  sleep 0.5
  after=$(grep -E '^cpu[01] ' /proc/stat)
  printf '%s\n%s\n' "$before" "$after" | awk '
    { t = 0; for (i = 2; i <= NF; i++) t += $i; idle = $5 + $6
      if ($1 in total) { busy = 100 * (1 - (idle - idle0[$1]) / (t - total[$1]))
                         if (busy > 15) msg = msg sprintf(" %s %.0f%%", $1, busy) }
      else { total[$1] = t; idle0[$1] = idle } }
    END { printf "%s", msg }'
}
check_quiet() {
  local busy quiet=0 deadline=$((SECONDS + ${QUIET_WAIT:-0}))
  while :; do
    busy=$(busy_cores)
    if [[ -z $busy ]]; then
      ((++quiet >= 4)) && return 0 # 2 s in a row
      continue
    fi
    quiet=0
    ((SECONDS < deadline)) || break
  done
  echo "warning: machine not quiet before the run, busy:$busy"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Bytes of a mount a listener gets in 1.5 s (0 while the stream is not live).
mount_bytes() { # mount_bytes PORT [MOUNT]
  curl -sf --max-time 1.5 -o - "http://127.0.0.1:$1${2:-$mount}" 2>/dev/null | wc -c || true
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

# start_source URL KIND: an ffmpeg source on core 1 (its pid joins source_pids). KIND: mp3 (the
# benchmark's 128 kbps MP3 of a 440 Hz sine, encoded live), opus (Ogg/Opus 128k in 20 ms pages,
# as a browser sends it), file (the pre-encoded MP3 $mp3_file, copied: costs nearly nothing).
start_source() {
  local url=$1 kind=$2 log
  log=$work/ffmpeg.$(basename "${url%%\?*}").$kind.log
  local input=(-f lavfi -i sine=frequency=440:sample_rate=44100) codec
  case $kind in
    mp3) codec=(-c:a libmp3lame -b:a 128k -content_type audio/mpeg -f mp3) ;;
    opus)
      input=(-f lavfi -i sine=frequency=440:sample_rate=48000)
      codec=(-c:a libopus -b:a 128k -page_duration 20000 -content_type audio/ogg -f ogg)
      ;;
    file)
      input=(-stream_loop -1 -i "$mp3_file")
      codec=(-c copy -content_type audio/mpeg -f mp3)
      ;;
  esac
  taskset -c 1 ffmpeg -nostdin -hide_banner -loglevel error -re "${input[@]}" "${codec[@]}" \
    "$url" >"$log" 2>&1 &
  source_pids+=($!)
}

# wait_live PORT MOUNT: true once the mount sends audio (up to 5 s).
wait_live() {
  for _ in $(seq 10); do
    [[ $(mount_bytes "$1" "$2") -gt 0 ]] && return 0
    kill -0 "$server_pid" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

api() { # api METHOD PATH [BODY]: veza's HTTP API with the benchmark's broadcaster token
  curl -s --max-time 5 -X "$1" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' ${3:+-d "$3"} "http://127.0.0.1:$http_port$2"
}

# create_stream NAME: prints its stream key (empty on failure).
create_stream() {
  api POST /api/streams "{\"name\":\"$1\",\"title\":\"Bench $1\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin).get("stream_key",""))' 2>/dev/null || true
}

# start_server NAME SCENARIO: starts the server and the scenario's sources (and effects); sets
# server_pid, source_pids, http_port, ws_port, prom_port, or returns 1.
start_server() {
  local name=$1 scenario=$2 dir key='' kind=mp3 streams=1 i stream_name
  dir=$(mktemp -d "$work/$name.XXXX")
  chmod 777 "$dir"
  server_log=$dir/server.log
  http_port=$(free_port)
  case $scenario in
    ws5k) kind=opus ;;
    ladder) kind=${LADDER_SOURCE:-mp3} ;;
    streams20) kind=file streams=${STREAMS:-20} ;;
  esac
  if [[ $name == veza ]]; then
    ws_port=$(free_port)
    prom_port=$(free_port)
    # cwd = the data dir, so the default DATABASE_URL (sqlite://var/veza.db) lands under it.
    (cd "$dir" && exec env -u DATABASE_URL HOST=127.0.0.1 PORT="$http_port" WS_PORT="$ws_port" \
      PROMETHEUS_PORT="$prom_port" DATA_DIR="$dir" JWT_SECRET="$secret" MAX_CONNECTIONS=25000 MAX_CONNECTIONS_PER_IP=0 \
      MAX_LISTENERS_PER_STREAM=25000 LOG_LEVEL="${VEZA_LOG_LEVEL:-warn}" \
      taskset -c "${VEZA_CORES:-0}" "$server" >"$server_log" 2>&1) &
    server_pid=$!
    for _ in $(seq 100); do
      curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null && break
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    token=$(cd "$dir" && env -u DATABASE_URL DATA_DIR="$dir" JWT_SECRET="$secret" \
      "$server" token --user bench --roles broadcaster --ttl 1h 2>/dev/null) || true
    for ((i = 1; i <= streams; i++)); do
      stream_name=bench
      ((streams == 1)) || stream_name=bench$i
      key=$(create_stream "$stream_name")
      [[ -n $key ]] || break
      start_source "icecast://source:$key@127.0.0.1:$http_port/live/$stream_name" "$kind"
    done
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
    if kill -0 "$server_pid" 2>/dev/null; then
      start_source "icecast://source:$key@127.0.0.1:$http_port$mount" mp3
    fi
  fi
  local live=1
  if [[ -z $key ]] || ! kill -0 "$server_pid" 2>/dev/null; then
    live=0
  elif ((streams == 1)); then
    wait_live "$http_port" "$mount" || live=0
  else
    for ((i = 1; i <= streams; i++)); do wait_live "$http_port" "/live/bench$i" || { live=0; break; }; done
  fi
  # The effects chain goes on before any listener connects.
  if ((live)) && [[ $scenario == ws5k-fx || $scenario == streams20 ]]; then
    for ((i = 1; i <= streams; i++)); do
      stream_name=bench
      ((streams == 1)) || stream_name=bench$i
      local answer
      answer=$(api PATCH "/api/streams/$stream_name/effects" "$effects_on")
      [[ $answer == *'"effects"'* ]] || { echo "effects of $stream_name not switched on: $answer" >&2; live=0; break; }
    done
    ((live == 0)) || echo "effects on: $effects_on"
  fi
  ((live)) && return 0
  echo "$name did not start (stream key: ${key:+yes}${key:-no}):" >&2
  # shellcheck disable=SC2086 # two log files for icecast
  tail -n 5 $server_log "$work"/ffmpeg.*.log 2>/dev/null >&2 || true
  stop_server
  return 1
}

ladder_paths=("$mount.opus?bitrate=32" "$mount.opus?bitrate=64" "$mount.opus?bitrate=96"
  "$mount.opus?bitrate=128" "$mount.mp3" "$mount.aac")

# The tool's options of a scenario (after the common ones).
scenario_args() {
  local i
  case $1 in
    http5k) echo "--listeners ${HTTP5K_LISTENERS:-5000} --ramp ${HTTP5K_RAMP:-250} --path $mount" ;;
    http19k) echo "--listeners ${HTTP19K_LISTENERS:-19000} --ramp ${HTTP19K_RAMP:-1000} --path $mount" ;;
    ws5k | ws5k-fx)
      echo "--listeners ${WS5K_LISTENERS:-5000} --ramp ${WS5K_RAMP:-250} --protocol ws" \
        "--port $ws_port --path /listen/bench?bitrate=128 --metrics-port $prom_port"
      ;;
    ladder)
      echo "--listeners $((${LADDER_LISTENERS:-5} * ${#ladder_paths[@]})) --ramp 250" \
        "--idle ${LADDER_IDLE:-10} --per-path 1 --metrics-port $prom_port"
      for i in "${ladder_paths[@]}"; do echo "--path $i"; done
      ;;
    streams20)
      echo "--listeners ${STREAMS:-20} --ramp 250 --protocol ws --port $ws_port --metrics-port $prom_port"
      for ((i = 1; i <= ${STREAMS:-20}; i++)); do echo "--path /listen/bench$i?bitrate=64"; done
      ;;
  esac
}
scenario_bound() { # seconds the tool may take: idle + ramp + first-byte timeout + settle + window + slack
  local n r idle=0
  case $1 in
    http5k) n=${HTTP5K_LISTENERS:-5000} r=${HTTP5K_RAMP:-250} ;;
    http19k) n=${HTTP19K_LISTENERS:-19000} r=${HTTP19K_RAMP:-1000} ;;
    ws5k | ws5k-fx) n=${WS5K_LISTENERS:-5000} r=${WS5K_RAMP:-250} ;;
    ladder) n=100 r=250 idle=${LADDER_IDLE:-10} ;;
    streams20) n=100 r=250 ;;
  esac
  echo $((idle + (n + r - 1) / r + fb_timeout + settle + duration + 30))
}

# The renditions of veza's streams halfway through the window (mode and listeners), which
# shows pass-through against transcoding: printed as "bench: opus128=passthrough/5000 ...".
snapshot_renditions() { # snapshot_renditions DELAY_S OUT
  sleep "$1"
  local stream_name
  for stream_name in $(api GET /api/streams | python3 -c '
import json, sys
data = json.load(sys.stdin)
items = data if isinstance(data, list) else data.get("streams", data.get("items", []))
print(" ".join(s["name"] for s in items if s.get("state") == "live"))' 2>/dev/null); do
    api GET "/api/streams/$stream_name" | python3 -c '
import json, sys
s = json.load(sys.stdin)
r = s.get("audio", {}).get("renditions", [])
print(s["name"] + ": " + " ".join("%s=%s/%d" % (x["name"], x["mode"], x["listeners"]) for x in r))' \
      2>/dev/null || true
  done >"$2"
}

# The (scenario, server) runs: Icecast only where an HTTP comparison exists; its http5k also
# as the reference of the WebSocket scenarios when http5k itself is not asked for.
runs=()
for scenario in "${scenarios[@]}"; do
  for name in $servers; do
    if [[ $name == icecast ]]; then
      case $scenario in
        http5k | http19k) ;;
        ws5k | ws5k-fx)
          [[ " ${scenarios[*]} ${runs[*]} " != *" http5k:icecast "* && " ${scenarios[*]} " != *" http5k "* ]] ||
            continue
          runs+=("http5k:icecast")
          continue
          ;;
        *) continue ;;
      esac
    fi
    runs+=("$scenario:$name")
  done
done

echo "stream benchmark: $(nproc) cores, servers on core 0, stream_load_bench and ffmpeg on core 1;" \
  "scenarios: ${scenarios[*]}; $(icecast2 -v 2>/dev/null || true)"
if [[ " ${scenarios[*]} " == *" streams20 "* ]]; then
  mp3_file=$work/source.mp3 # 60 s, looped by each source
  ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i sine=frequency=440:sample_rate=44100:duration=60 \
    -c:a libmp3lame -b:a 128k "$mp3_file"
fi
for run in "${runs[@]}"; do
  scenario=${run%%:*}
  name=${run#*:}
  echo "== $scenario on $name"
  check_quiet
  start_server "$name" "$scenario" || continue
  port=$http_port
  [[ $scenario == ws* || $scenario == streams20 ]] && port=$ws_port
  if [[ $name == veza && $scenario != http* ]]; then
    read -r -a args <<<"$(scenario_args "$scenario" | tr '\n' ' ')"
    idle=0
    [[ $scenario == ladder ]] && idle=${LADDER_IDLE:-10}
    n=$(sed -n 's/.*--listeners \([0-9]*\).*/\1/p' <<<"${args[*]}")
    snapshot_renditions "$(awk -v i="$idle" -v n="$n" -v s="$settle" -v d="$duration" \
      'BEGIN { print i + n / 250 + 1 + s + d / 2 }')" "$work/$name.$scenario.renditions" &
    snapshot_pid=$!
  else
    read -r -a args <<<"$(scenario_args "$scenario")"
    snapshot_pid=
  fi
  timeout -k 5 "$(scenario_bound "$scenario")" taskset -c 1 "$tool" --port "$port" "${args[@]}" \
    --duration "$duration" --settle "$settle" --timeout "$fb_timeout" --bitrate 128000 \
    --sources "${SOURCES:-8}" --server-pid "$server_pid" --label "$name" --scenario "$scenario" 2>&1 |
    tee "$work/$name.$scenario.out" || echo "stream_load_bench exited with status $?"
  if [[ -n $snapshot_pid ]]; then
    wait "$snapshot_pid" 2>/dev/null || true
    echo "renditions halfway through the window (streams with the same ones counted together):"
    sed 's/^[^:]*: //' "$work/$name.$scenario.renditions" | sort | uniq -c |
      awk '{ n = $1; $1 = ""; printf "  %d stream%s:%s\n", n, (n > 1 ? "s" : ""), $0 }'
  fi
  grep '^RESULT ' "$work/$name.$scenario.out" >>"$results" || true
  if ! kill -0 "$server_pid" 2>/dev/null; then
    status=0
    wait "$server_pid" 2>/dev/null || status=$?
    echo "$name DIED during $scenario (exit status $status$( ((status <= 128)) ||
      echo ", signal $(kill -l $((status - 128)))")); last lines of its log:"
    # shellcheck disable=SC2086
    tail -n 5 $server_log
  elif [[ $name == veza ]] && grep -v 'ENCRYPTION_KEY is not set' "$server_log" >"$work/log.tail"; then
    echo "server log: $(wc -l <"$work/log.tail") lines besides the development key's; the last:"
    tail -n 5 "$work/log.tail" | cut -c1-300
  fi
  for pid in "${source_pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || echo "warning: an ffmpeg source of $name ended during $scenario"
  done
  stop_server
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
    printf "%-30s %-22s %12s %12s %8s\n", "scenario", "value", a, b, (b == "" ? "" : a "/" b)
    for (i = 1; i <= n; i++) {
      split(order[i], fk, SUBSEP)
      va = ((order[i], a) in value) ? value[order[i], a] : "-"
      vb = ((order[i], b) in value) ? value[order[i], b] : "-"
      # WebSocket rows: the second server'"'"'s HTTP figure at the same load (its http5k).
      if (vb == "-" && fk[1] ~ /^ws5k(-fx)?$/ && (("http5k" SUBSEP fk[2]), b) in value) {
        vb = value["http5k" SUBSEP fk[2], b]
        if (vb != "-") { vb = vb "*"; starred = 1 }
      }
      vn = vb; sub(/\*$/, "", vn)
      ratio = (num(va) && num(vn) && vn + 0 != 0) ? sprintf("%.2f", va / vn) : ""
      printf "%-30s %-22s %12s %12s %8s\n", fk[1], fk[2], va, vb, ratio
    }
    if (starred) printf "* %s'"'"'s http5k figure (HTTP MP3 listeners, same count and ramp)\n", b
  }' "$results"
