#!/usr/bin/env bash
# Runs a command on a throwaway X desktop, as a moderator's session has one: an Xvfb display
# and a system tray (trayer), so the console's windows, tray icon and notifications are real.
# usage: on-a-desktop.sh COMMAND [ARGUMENTS...]   (Debian packages xvfb and trayer)
set -euo pipefail

scratch=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

# Xvfb picks a free display and writes its number to fd 3 once it accepts connections.
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$scratch/display" \
  2>"$scratch/xvfb.log" &
pids+=($!)
for _ in $(seq 100); do
  [[ -s "$scratch/display" ]] && break
  sleep 0.1
done
if [[ ! -s "$scratch/display" ]]; then
  echo "on-a-desktop: Xvfb did not start:" >&2
  cat "$scratch/xvfb.log" >&2
  exit 1
fi
export DISPLAY=":$(tr -d '[:space:]' <"$scratch/display")"
trayer --SetDockType true >"$scratch/trayer.log" 2>&1 &
pids+=($!)

export QT_QPA_PLATFORM=xcb
"$@"
