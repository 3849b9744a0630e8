#!/usr/bin/env bash
# Builds the image localhost/veza-server:<version> from this checkout with podman, and prints
# its name, size and build time. Used by `packaging/dev image` and the container test.
#   VEZA_BASE_IMAGE   base of both stages (default: localhost/debian-bookworm-minbase, built
#                     from Debian packages by build-base.sh when missing)
#   VEZA_ISOLATION    podman build --isolation (default chroot: works without a container
#                     runtime, e.g. inside a CI container)
#   CCACHE_DIR        the compiler cache the build stage reuses (default ~/.cache/ccache)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$root/packaging/container

base=${VEZA_BASE_IMAGE:-localhost/debian-bookworm-minbase}
if [[ -z "${VEZA_BASE_IMAGE:-}" ]]; then
  "$here/build-base.sh" "$base"
fi

version=$(sed -nE 's/^project\(veza VERSION ([0-9.]+).*/\1/p' "$root/CMakeLists.txt")
commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
image=localhost/veza-server:$version

volumes=()
ccache_dir=${CCACHE_DIR:-$HOME/.cache/ccache}
mkdir -p "$ccache_dir"
volumes+=(--volume "$ccache_dir:/ccache")

# The locale variables set here, which ccache's keys include (see the Containerfile).
locale=()
for name in LANG LC_ALL LC_CTYPE LC_MESSAGES; do
  [[ -n "${!name+set}" ]] && locale+=("$name=${!name}")
done

start=$(date +%s)
podman build --isolation "${VEZA_ISOLATION:-chroot}" --format docker \
  -f "$here/Containerfile" --ignorefile "$here/containerignore" \
  --build-arg BASE_IMAGE="$base" --build-arg VERSION="$version" --build-arg COMMIT="$commit" \
  --build-arg HOST_LOCALE="${locale[*]}" \
  "${volumes[@]}" -t "$image" "$root" >&2
seconds=$(($(date +%s) - start))

size=$(podman image inspect --format '{{.Size}}' "$image")
echo "image: $image (commit $commit)"
echo "size: $((size / 1000000)) MB"
echo "build time: $seconds s"
