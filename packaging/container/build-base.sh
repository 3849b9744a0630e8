#!/usr/bin/env bash
# Builds the local base image localhost/debian-bookworm-minbase from Debian packages
# (debootstrap --variant=minbase), for machines that reach a Debian mirror but no registry of
# base images. Does nothing when the image exists. The mirror is this machine's apt mirror
# (/etc/apt/sources.list*), or VEZA_DEBIAN_MIRROR.
set -euo pipefail

image=${1:-localhost/debian-bookworm-minbase}
if podman image exists "$image"; then
  exit 0
fi

# The first Debian archive (not -security) this machine's apt uses.
mirror=${VEZA_DEBIAN_MIRROR:-}
if [[ -z "$mirror" ]]; then
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -oE '(https?|file)://[^ ]*/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ' || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}
security=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
  grep -oE '(https?|file)://[^ ]*/debian-security/?( |$)' | head -n1 | tr -d ' ' || true)

rootfs=$(mktemp -d "${TMPDIR:-/var/tmp}/veza-minbase.XXXXXX")
trap 'rm -rf "$rootfs"' EXIT
echo "build-base: debootstrap --variant=minbase bookworm from $mirror" >&2
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || {
  tail -n 20 "$rootfs.log" >&2
  exit 1
}
rm -f "$rootfs.log"

# The same suites as the machine (updates, security), so the images get today's fixes.
{
  echo "deb $mirror bookworm main"
  echo "deb $mirror bookworm-updates main"
  [[ -n "$security" ]] && echo "deb $security bookworm-security main"
} >"$rootfs/etc/apt/sources.list"
# What debootstrap leaves behind that an image does not need: downloaded packages, indexes.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*
# As Debian's own slim images: no documentation but the copyright files, no manual pages or
# translations, now and for every package installed later.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'CFG'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-exclude=/usr/share/lintian/*
CFG
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*

tar -C "$rootfs" --numeric-owner -c . |
  podman import --quiet --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' - "$image" >/dev/null
echo "build-base: $image imported" >&2
