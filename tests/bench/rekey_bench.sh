#!/usr/bin/env bash
# Rekey benchmark: fills a fresh database with ROWS chat messages sealed under a first key, as
# veza-server seals them (AES-256-GCM, key id, associated data of docs/encryption.md), then
# times `veza-server rekey` moving them to a second key and checks that nothing is left.
#
# usage: tests/bench/rekey_bench.sh
#
# Environment (default):
#   BUILD_DIR          build directory holding server/veza-server (build)
#   ROWS               messages to seal under the first key (100000)
#   BATCH_SIZE         rekey --batch-size (500)       PAUSE_MS  rekey --pause-ms (10)
#   VEZA_DATABASE_URL  an empty PostgreSQL database to use instead of a temporary SQLite file
#                      (e.g. one started by hand as in docs/performance.md)
# Needs python3 with python3-cryptography (Debian package) and, for PostgreSQL, psql.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD_DIR:-build}
[[ $build == /* ]] || build=$root/$build
server=$build/server/veza-server
rows=${ROWS:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export DATA_DIR=$work
export DATABASE_URL=${VEZA_DATABASE_URL:-sqlite://$work/veza.db}
key1=$(openssl rand -hex 32)
key2=$(openssl rand -hex 32)

# `rekey --check` opens the database as the server does, so it creates the schema.
ENCRYPTION_KEY=$key1 "$server" rekey --check >/dev/null

echo "sealing $rows messages under the first key in $DATABASE_URL"
KEY=$key1 ROWS=$rows python3 - >"$work/rows.sql" <<'EOF'
import hashlib, os, struct
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

key = bytes.fromhex(os.environ["KEY"])
key_id = hashlib.sha256(b"veza-key-id" + key).digest()[:8].hex()
aes = AESGCM(key)
room = 1
print("BEGIN;")
print("INSERT INTO users (name, created_at) VALUES ('bench', 0);")
print("INSERT INTO rooms (name, created_at) VALUES ('bench', 0);")
for seq in range(1, int(os.environ["ROWS"]) + 1):
    nonce = os.urandom(12)
    associated = b"veza.message.v1\0" + struct.pack(">qq", room, seq)
    body = aes.encrypt(nonce, b"message %d of a benchmark, about eighty bytes long like a chat line" % seq, associated)
    print("INSERT INTO messages (room_id, seq, sender_id, body, key_id, nonce, created_at) "
          "VALUES (1, %d, 1, X'%s', '%s', X'%s', 0);" % (seq, body.hex(), key_id, nonce.hex()))
print("COMMIT;")
EOF
if [[ $DATABASE_URL == sqlite://* ]]; then
  python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).executescript(open(sys.argv[2]).read())' \
    "${DATABASE_URL#sqlite://}" "$work/rows.sql"
else
  # PostgreSQL spells a blob literal '\x...' where SQLite takes X'...'.
  sed -E "s/X'([0-9a-f]*)'/'\\\\x\\1'/g" "$work/rows.sql" | psql -q -v ON_ERROR_STOP=1 "$DATABASE_URL"
fi

echo "veza-server rekey --batch-size ${BATCH_SIZE:-500} --pause-ms ${PAUSE_MS:-10}"
start=$(date +%s.%N)
ENCRYPTION_KEY=$key2 ENCRYPTION_KEYS_PREVIOUS=$key1 \
  "$server" rekey --batch-size "${BATCH_SIZE:-500}" --pause-ms "${PAUSE_MS:-10}"
end=$(date +%s.%N)
echo "wall time: $(python3 -c "print(round($end - $start, 2))") s for $rows rows"
ENCRYPTION_KEY=$key2 "$server" rekey --check | tail -1
