#!/usr/bin/env bash
# Benchmark: wrk against veza-server's GET /health/live, side by side with nginx serving a
# small static file on the same machine, in one run. Prints requests/s and latency
# percentiles for both and the ratio. Loopback only; bounded in time.
#
# usage: tests/bench/http_health_bench.sh [build-dir] [duration-s] [connections]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
duration=${2:-10}
connections=${3:-100}
threads=2
server=$build/server/veza-server
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || { echo "$tool missing (packaging/install-deps.sh)" >&2; exit 1; }
done
[[ -x "$server" ]] || { echo "build veza-server first ($server)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "$1" >&2; tail -5 "$work/veza.log" "$work/nginx-error.log" >&2 2>/dev/null; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
veza_port=$(free_port); nginx_port=$(free_port)

# veza-server: defaults except ports, one network thread per core, SQLite in the temp dir.
( cd "$work" && HOST=127.0.0.1 PORT=$veza_port WS_PORT=0 PROMETHEUS_PORT=0 LOG_LEVEL=warn \
    DATA_DIR="$work/var" DATABASE_URL="sqlite://$work/veza.db" exec "$server" >"$work/veza.log" 2>&1 ) &
pids+=($!)

# nginx: two workers (one per core, like veza's two network threads), a static file.
mkdir -p "$work/www/health"
chmod 755 "$work" "$work/www" "$work/www/health"  # nginx workers drop root
printf '{"service":"veza-server","status":"alive","uptime_s":1,"version":"0.1.0"}' >"$work/www/health/live"
cat >"$work/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  default_type application/json;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
CONF
mkdir -p "$work/tmp"
PATH=$PATH:/usr/sbin nginx -c "$work/nginx.conf" -e "$work/nginx-error.log" &
pids+=($!)

for port in $veza_port $nginx_port; do
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health/live" >/dev/null && continue 2; sleep 0.1; done
  fail "nothing answers on port $port"
done

run() { # name port
  local out
  out=$(wrk -t$threads -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$2/health/live")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '%-28s %12s %10s %10s\n' "$1" "$rps" "$p50" "$p99"
  echo "$rps" >"$work/$1.rps"
}

echo "wrk -t$threads -c$connections -d${duration}s --latency, GET /health/live, $(nproc) cores"
printf '%-28s %12s %10s %10s\n' "server" "requests/s" "p50" "p99"
run "veza-server" "$veza_port"
run "nginx-static" "$nginx_port"
awk -v v="$(cat "$work/veza-server.rps")" -v n="$(cat "$work/nginx-static.rps")" \
  'BEGIN { printf "veza-server / nginx: %.2f\n", v / n }'
