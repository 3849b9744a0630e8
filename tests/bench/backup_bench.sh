#!/usr/bin/env bash
# Backup benchmark: fills a fresh SQLite database with ROWS chat messages sealed as veza-server
# seals them, starts veza-server on it (pinned to core 0), drives chat traffic with
# chat_load_bench's `rooms` scenario (core 1), and runs `veza-server backup` in the middle of
# the traffic. The same traffic is run once more without a backup, for comparison: a backup
# that held the server's writer would show in the send -> receive latency (a message is
# delivered only once committed). Prints both RESULT lines, the backup's own output, its wall
# time and the largest size the write-ahead log reached.
#
# usage: tests/bench/backup_bench.sh
#
# Environment (default):
#   BUILD_DIR     build directory holding server/veza-server and chat_load_bench (build)
#   ROWS          messages in the database before the traffic starts (1000000)
#   ROOMS         rooms they are spread over (1000); users: as many
#   CONNECTIONS   chat_load_bench rooms --connections (2000, in rooms of 10: 200 messages/s)
#   DURATION      seconds of traffic per run (20); the backup starts BACKUP_AT s in (5)
#   BACKUP_PREFIX command the backup runs under, e.g. "nice -n 19" (none)
#   KEEP_LOGS=1   keeps the temporary folder
# Needs python3 with python3-cryptography (Debian package), taskset, curl.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD_DIR:-build}
[[ $build == /* ]] || build=$root/$build
server=$build/server/veza-server
tool=$build/tests/bench/chat_load/chat_load_bench
rows=${ROWS:-1000000}
rooms=${ROOMS:-1000}
connections=${CONNECTIONS:-2000}
duration=${DURATION:-20}
backup_at=${BACKUP_AT:-5}
secret=backup-bench-jwt-secret-0123456789abcdefghijkl
key=$(openssl rand -hex 32)
[[ -x $server && -x $tool ]] || { echo "build veza-server and chat_load_bench first" >&2; exit 1; }

work=$(mktemp -d)
server_pid=
stop_server() {
  [[ -n $server_pid ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
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

export DATA_DIR=$work DATABASE_URL=sqlite://$work/veza.db ENCRYPTION_KEY=$key JWT_SECRET=$secret
db=$work/veza.db
# `rekey --check` opens the database as the server does, so it creates the schema.
"$server" rekey --check >/dev/null

echo "sealing $rows messages in $rooms rooms into $db"
start=$(date +%s.%N)
KEY=$key ROWS=$rows ROOMS=$rooms DB=$db python3 - <<'EOF'
import hashlib, os, sqlite3, struct
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

key = bytes.fromhex(os.environ["KEY"])
key_id = hashlib.sha256(b"veza-key-id" + key).digest()[:8].hex()
aes = AESGCM(key)
rows, rooms = int(os.environ["ROWS"]), int(os.environ["ROOMS"])
db = sqlite3.connect(os.environ["DB"])
db.execute("PRAGMA journal_mode=WAL")
db.executemany("INSERT INTO users (name, created_at) VALUES (?, 0)",
               (("user%d" % u,) for u in range(1, rooms + 1)))
db.executemany("INSERT INTO rooms (name, created_at) VALUES (?, 0)",
               (("archive%d" % r,) for r in range(1, rooms + 1)))

def messages():
    for i in range(rows):
        room, seq = i % rooms + 1, i // rooms + 1
        nonce = os.urandom(12)
        associated = b"veza.message.v1\0" + struct.pack(">qq", room, seq)
        text = b"message %d in room %d: a chat line of a typical length, some eighty bytes" % (seq, room)
        yield (room, seq, (i * 7) % rooms + 1, aes.encrypt(nonce, text, associated), key_id, nonce,
               1764000000000 + i * 100)

db.executemany("INSERT INTO messages (room_id, seq, sender_id, body, key_id, nonce, created_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)", messages())
db.commit()
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
db.close()
EOF
echo "sealed in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s; database: $(du -h "$db" | cut -f1)"
sync # the seeding's writes are flushed now, not during the first run

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
start_server() {
  http_port=$(free_port)
  ws_port=$(free_port)
  HOST=127.0.0.1 PORT=$http_port WS_PORT=$ws_port PROMETHEUS_PORT=$(free_port) \
    MAX_CONNECTIONS_PER_IP=0 LOG_LEVEL=warn taskset -c 0 "$server" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 300); do
    curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null && port_open "$ws_port" && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "veza-server did not start:" >&2
  tail -n 5 "$work/server.log" >&2
  exit 1
}

# traffic LABEL [backup]: one run of the rooms scenario; with "backup", a backup during it.
traffic() {
  local label=$1 offset=$2 with_backup=${3:-}
  taskset -c 1 "$tool" rooms --connections "$connections" --room-size 10 --duration "$duration" \
    --port "$ws_port" --secret "$secret" --server-pid "$server_pid" --label "$label" \
    --user-offset "$offset" >"$work/$label.out" &
  local tool_pid=$! wal_max=0 size
  if [[ -n $with_backup ]]; then
    # The tool connects first (a few seconds); the traffic is on once it says so.
    until grep -q '^rooms: publishing\|^RESULT' "$work/$label.out" 2>/dev/null; do
      kill -0 "$tool_pid" 2>/dev/null || break
      sleep 0.2
    done
    sleep "$backup_at"
    local b0 b1
    b0=$(date +%s.%N)
    # shellcheck disable=SC2086 # the prefix's words are split on purpose
    ${BACKUP_PREFIX:-} "$server" backup "$work/copy.db" >"$work/copy.out" 2>&1 &
    local backup_pid=$!
    while kill -0 "$backup_pid" 2>/dev/null; do
      size=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
      ((size > wal_max)) && wal_max=$size
      sleep 0.05
    done
    wait "$backup_pid" || echo "backup exited with status $?"
    b1=$(date +%s.%N)
    echo "backup wall time: $(python3 -c "print(round($b1 - $b0, 2))") s; write-ahead log at most $((wal_max / 1000)) kB meanwhile"
    grep -v '^note:' "$work/copy.out" | head -n 1 | sed 's/^/  /'
  fi
  wait "$tool_pid" || echo "chat_load_bench exited with status $?"
  grep -v '^RESULT' "$work/$label.out" | sed 's/^/  /' | tail -n 4
  grep '^RESULT' "$work/$label.out"
}

start_server
echo "== chat traffic without a backup"
traffic quiet 0
echo "== the same traffic, ${BACKUP_PREFIX:+$BACKUP_PREFIX }veza-server backup ${backup_at} s into it"
traffic during-backup "$connections" with-backup
