#!/usr/bin/env bash
# The container image as an operator meets it (packaging/container/Containerfile): built with
# podman, its configuration (user 10001, data volume, defaults, labels, stop signal, health
# check), then the server it runs: /health/ready answers ready, the health check passes, a chat
# message goes from alice to bob over WebSocket, an ffmpeg broadcast to /live/NAME is accepted
# and a listener gets its bytes, the process runs as uid 10001 on a read-only root filesystem,
# and SIGTERM ends it with status 0 within the grace period.
# Where containers can start, the image runs with `podman run --read-only`; where they cannot
# (no runtime, rlimits refused, as in CI containers), its mounted root filesystem runs in a
# chroot of a private mount namespace, read-only but for the data volume.
# Usage: test-image.sh SOURCE_DIR CHAT_ROUND_TRIP_BINARY
#   VEZA_TEST_IMAGE=name  use this image instead of building one
# Exit: 0 passed, 1 failed, 77 skipped (podman cannot build here).
set -euo pipefail

root=$1
chat_client=$2
skip_status=77
grace_seconds=40 # what docs/operations.md asks for: SHUTDOWN_TIMEOUT_S (30) + 10

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

if [[ -z "${VEZA_IN_NAMESPACE:-}" ]]; then
  command -v podman >/dev/null ||
    { echo "SKIP: podman is not installed (packaging/install-deps.sh installs it)"; exit $skip_status; }
  podman info >/dev/null 2>&1 ||
    { echo "SKIP: podman cannot work here: $(podman info 2>&1 | tail -n1)"; exit $skip_status; }

  image=${VEZA_TEST_IMAGE:-}
  if [[ -z "$image" ]]; then
    echo "Building the image (packaging/container/build-image.sh)..."
    built=$("$root/packaging/container/build-image.sh" 2>"${TMPDIR:-/tmp}/veza-image-build.log") ||
      { tail -n 40 "${TMPDIR:-/tmp}/veza-image-build.log"; fail "the image does not build"; }
    echo "$built"
    image=$(sed -nE 's/^image: ([^ ]+).*/\1/p' <<<"$built")
  fi
  size=$(podman image inspect --format '{{.Size}}' "$image")
  echo "image size: $((size / 1000000)) MB ($image)"

  # The image's configuration, as `podman image inspect` shows it.
  version=$(sed -nE 's/^project\(veza VERSION ([0-9.]+).*/\1/p' "$root/CMakeLists.txt")
  podman image inspect "$image" | python3 -c '
import json, sys
image = json.load(sys.stdin)[0]
config = image["Config"]
version, check_revision, revision = sys.argv[1], sys.argv[2] == "1", sys.argv[3]
env = dict(e.split("=", 1) for e in config.get("Env", []))
labels = config.get("Labels") or {}
problems = []
def expect(what, actual, wanted):
    if actual != wanted:
        problems.append(f"{what}: {actual!r}, expected {wanted!r}")
expect("User", config.get("User"), "10001:10001")
expect("Entrypoint", config.get("Entrypoint"), ["/usr/bin/veza-server"])
expect("StopSignal", config.get("StopSignal"), "SIGTERM")
expect("DATA_DIR", env.get("DATA_DIR"), "/var/lib/veza")
expect("DATABASE_URL", env.get("DATABASE_URL"), "sqlite:///var/lib/veza/veza.db")
expect("Volumes", sorted((config.get("Volumes") or {}).keys()), ["/var/lib/veza"])
expect("version label", labels.get("org.opencontainers.image.version"), version)
if check_revision:
    expect("revision label", labels.get("org.opencontainers.image.revision"), revision)
health = (image.get("Healthcheck") or {}).get("Test") or []
expect("HEALTHCHECK", health[-2:] if health else None, ["/usr/bin/veza-server", "probe"])
for problem in problems:
    print("FAIL: image configuration:", problem, file=sys.stderr)
sys.exit(1 if problems else 0)
' "$version" "$([[ -z "${VEZA_TEST_IMAGE:-}" ]] && echo 1 || echo 0)" \
    "$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)" ||
    fail "the image's configuration"
  echo "image configuration: user 10001:10001, volume /var/lib/veza, defaults, labels, SIGTERM, health check: ok"

  if podman run --rm --network host "$image" --version >/dev/null 2>&1; then
    mode=podman
  else
    echo "Containers cannot start here ($(podman run --rm --network host "$image" --version 2>&1 |
      tail -n1)): running the image's root filesystem in a chroot instead"
    export VEZA_IN_NAMESPACE=1 VEZA_TEST_IMAGE=$image
    # Rootless, mounting an image takes podman's user namespace: the rest runs in it.
    [[ $(id -u) -eq 0 ]] || exec podman unshare "$0" "$@"
  fi
fi

if [[ "${VEZA_IN_NAMESPACE:-}" == 1 && -z "${VEZA_IMAGE_ROOT:-}" ]]; then
  # Mounted here, unmounted here however the run ends; the run itself goes in a private mount
  # namespace, whose mounts vanish with it.
  image=$VEZA_TEST_IMAGE
  VEZA_IMAGE_ROOT=$(podman image mount "$image")
  export VEZA_IMAGE_ROOT
  trap 'podman image unmount "$image" >/dev/null' EXIT
  status=0
  unshare --mount --propagation private "$0" "$@" || status=$?
  exit $status
fi
if [[ -n "${VEZA_IMAGE_ROOT:-}" ]]; then
  mode=chroot
  image=$VEZA_TEST_IMAGE
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/veza-image-test.XXXXXX")
name=veza-image-test-$$
server_pid=
# Never deletes through a mount: the image's root and whatever is mounted in it are unmounted
# first (after the server is gone, or they stay busy), and the removal stays on $work's own
# filesystem; if anything is still mounted, $work is left in place.
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ $mode == podman ]]; then
    podman rm -f "$name" >/dev/null 2>&1 || true
  elif mountpoint -q "$work/root"; then
    umount -R "$work/root" 2>/dev/null || umount -R -l "$work/root" 2>/dev/null || true
  fi
  if findmnt -rn -o TARGET | grep -q "^$work/"; then
    echo "warning: $work still has mounts; left in place" >&2
  else
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT

read -r http_port ws_port metrics_port < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(3)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in sockets])')
ports=(PORT="$http_port" WS_PORT="$ws_port" PROMETHEUS_PORT="$metrics_port")

if [[ $mode == chroot ]]; then
  # The image's root filesystem, read-only, with its volume writable and owned by veza as a
  # fresh named volume would be, and the machine's /dev and /proc.
  mkdir -p "$work/root" "$work/data"
  mount --bind "$VEZA_IMAGE_ROOT" "$work/root"
  mount -o remount,bind,ro "$work/root"
  chown 10001:10001 "$work/data"
  mount --bind "$work/data" "$work/root/var/lib/veza"
  # /dev: a tmpfs with the few devices a process expects, each bound to the machine's (as
  # container engines do), never the machine's /dev itself.
  mount -t tmpfs -o mode=0755,nosuid,size=64k veza-dev "$work/root/dev"
  for device in null zero full random urandom tty; do
    touch "$work/root/dev/$device"
    mount --bind "/dev/$device" "$work/root/dev/$device"
  done
  mount --rbind /proc "$work/root/proc"
  mapfile -t image_env < <(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$image" | sed '/^$/d')
  user=$(podman image inspect --format '{{.Config.User}}' "$image")
  # Runs a command of the image as the image's user, with its environment and the test's ports.
  in_image() { env -i "${image_env[@]}" "${ports[@]}" chroot --userspec="$user" "$work/root" "$@"; }
  # A simple command, so that $! is the server itself (env and chroot exec it).
  env -i "${image_env[@]}" "${ports[@]}" chroot --userspec="$user" "$work/root" \
    /usr/bin/veza-server >"$work/server.log" 2>&1 &
  server_pid=$!
else
  podman run -d --name "$name" --read-only --network host \
    "${ports[@]/#/--env=}" "$image" >/dev/null
  server_pid=$(podman inspect --format '{{.State.Pid}}' "$name")
  in_image() { podman exec "$name" "$@"; }
fi
server_log() { if [[ $mode == podman ]]; then podman logs "$name" 2>&1; else cat "$work/server.log"; fi; }
trap 'status=$?; [[ $status -ne 0 ]] && { echo "--- server log:"; server_log | tail -n 30; }; cleanup' EXIT

# Ready?
ready=
for _ in $(seq 60); do
  if ready=$(curl -fsS --max-time 2 "http://127.0.0.1:$http_port/health/ready" 2>/dev/null); then
    break
  fi
  ready=
  sleep 0.5
done
[[ "$ready" == *'"ready"'* ]] || fail "/health/ready did not answer ready within 30 s"
echo "/health/ready: $ready"

uid=$(awk '/^Uid:/ {print $2}' "/proc/$server_pid/status")
[[ "$uid" == 10001 ]] || fail "the server runs as uid $uid, not 10001"
echo "server process runs as uid $uid"

# The image's own health check, as the container engine runs it.
if [[ $mode == podman ]]; then
  podman healthcheck run "$name" || fail "podman healthcheck run: unhealthy"
else
  mapfile -t health < <(podman image inspect "$image" |
    python3 -c 'import json, sys; print(*(json.load(sys.stdin)[0].get("Healthcheck") or {}).get("Test", ["none"]), sep="\n")')
  [[ "${health[0]}" == CMD ]] || fail "HEALTHCHECK is not in exec form: ${health[*]}"
  probe=$(in_image "${health[@]:1}") || fail "the health check (${health[*]:1}) fails: $probe"
  echo "health check (${health[*]:1}): $probe"
fi

# Chat: alice to bob through the server, with tokens the image's binary signs.
alice=$(in_image /usr/bin/veza-server token --user alice --roles broadcaster 2>/dev/null)
bob=$(in_image /usr/bin/veza-server token --user bob 2>/dev/null)
"$chat_client" "$ws_port" "$alice" "$bob" || fail "chat round trip"

# Streaming: alice creates a stream, ffmpeg broadcasts to it, a listener receives audio.
created=$(curl -fsS --max-time 5 -H "Authorization: Bearer $alice" -H 'Content-Type: application/json' \
  -d '{"name":"image-test","title":"Image test","public":true}' \
  "http://127.0.0.1:$http_port/api/streams") || fail "POST /api/streams"
key=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["stream_key"])' <<<"$created")
ffmpeg -hide_banner -loglevel error -re -f lavfi -i sine=frequency=440:sample_rate=44100 -t 30 \
  -c:a libmp3lame -b:a 128k -content_type audio/mpeg -f mp3 \
  "icecast://source:$key@127.0.0.1:$http_port/live/image-test" >"$work/ffmpeg.log" 2>&1 &
ffmpeg_pid=$!
listened=0
for _ in $(seq 20); do
  curl -sS --max-time 3 -o "$work/listened.mp3" "http://127.0.0.1:$http_port/live/image-test" 2>/dev/null || true
  listened=$(stat -c %s "$work/listened.mp3" 2>/dev/null || echo 0)
  ((listened > 16000)) && break
  sleep 0.5
done
kill -0 "$ffmpeg_pid" 2>/dev/null || fail "the broadcast was refused: $(cat "$work/ffmpeg.log")"
((listened > 16000)) || fail "a listener of /live/image-test received $listened bytes"
echo "broadcast accepted; a listener of /live/image-test received $listened bytes in 3 s"

# SIGTERM (the image's STOPSIGNAL) while the broadcast goes on: a graceful drain, status 0.
start=$(date +%s)
if [[ $mode == podman ]]; then
  podman stop -t "$grace_seconds" "$name" >/dev/null
  status=$(podman inspect --format '{{.State.ExitCode}}' "$name")
else
  kill -TERM "$server_pid"
  for _ in $(seq $((grace_seconds * 10))); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$server_pid" 2>/dev/null && fail "still running $grace_seconds s after SIGTERM"
  status=0
  wait "$server_pid" || status=$?
fi
server_pid=
kill "$ffmpeg_pid" 2>/dev/null || true
elapsed=$(($(date +%s) - start))
[[ "$status" == 0 ]] || fail "exit status $status after SIGTERM"
echo "SIGTERM: exited with status 0 after $elapsed s"
server_log | grep -q '"drained"' || fail "no \"drained\" line in the log"
echo "PASS"
