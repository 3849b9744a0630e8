#!/usr/bin/env bash
# Installs the Debian 12 packages that building and testing Veza need, only those missing.
# Quick when everything is present (one dpkg-query), works as root on a fresh machine.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ ccache pkg-config clang-format
  # fuzzing (tests/fuzz): clang with libFuzzer and the sanitizers' runtimes
  clang-14 libclang-rt-14-dev
  # Qt 6.4 (Debian bookworm)
  qt6-base-dev qt6-base-dev-tools qt6-websockets-dev
  libqt6sql6-sqlite libqt6sql6-psql qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qt6-multimedia-dev qt6-charts-dev libqt6opengl6-dev libgl-dev libxkbcommon-dev qtkeychain-qt6-dev
  # Qt's own texts (dialog buttons, context menus) in the console's languages
  qt6-translations-l10n
  # libraries
  libssl-dev libopus-dev libavformat-dev libavcodec-dev libswresample-dev libavutil-dev
  libhiredis-dev libargon2-dev libebur128-dev libsqlite3-dev
  # sd_notify() for systemd's Type=notify
  libsystemd-dev
  # the .deb (CPack: dpkg-shlibdeps, file; help2man: the manual page from --help) and its
  # checks: lintian, systemd-analyze verify
  dpkg-dev file help2man lintian systemd
  # real peers the tests start: databases, tools, promtool
  postgresql postgresql-client redis-server ffmpeg openssl prometheus curl procps
  # packaging tests (tests/packaging): Debian's python3 with PyYAML reads the manifests; amtool
  # and Alertmanager check packaging/alertmanager's routing example
  python3 python3-yaml prometheus-alertmanager
  # the console's listen-in plays into a throwaway PulseAudio null sink; its desktop tests and
  # screenshots run on a throwaway X server with a system tray
  pulseaudio xvfb trayer
  # benchmarks: load generator and the reference server
  wrk nginx-light icecast2
  # the container image (packaging/container): its build, a base image from Debian packages,
  # the local cluster's compose file (checked with python3-yaml)
  podman buildah debootstrap podman-compose python3-yaml
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${#missing[@]} package(s): ${missing[*]}" >&2
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo -E)
export DEBIAN_FRONTEND=noninteractive
# Package scripts must not start system services (PostgreSQL, Redis, nginx, Prometheus, Icecast):
# the tests start their own instances on throwaway ports.
export RUNLEVEL=1
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
