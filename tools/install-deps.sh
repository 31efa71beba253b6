#!/usr/bin/env bash
# Installs the Debian packages cxlval needs, only when one is missing.
set -euo pipefail
pkgs=(gcc make binutils gnu-efi nasm qemu-system-x86 ovmf mtools dosfstools gdisk
      libcmocka-dev python3-pytest python3-pytest-xdist clang
      python3-jsonschema python3-pil chromium)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
