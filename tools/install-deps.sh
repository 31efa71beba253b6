#!/usr/bin/env bash
# Installs the Debian packages cxlval needs, only when one is missing.
#
# QEMU must be 10.0 or newer: 7.2 (Debian 12's own) cannot uncommit an HDM
# decoder, has one decoder per component and no volatile memory or poison, so
# the integration tests' cross-check and multi-region cases need 10. Debian 12
# carries it in its bookworm-backports suite: that suite is added as its own
# apt source file and only qemu-system-x86 (with its qemu-* siblings) comes
# from it. OVMF stays Debian 12's.
set -euo pipefail
pkgs=(gcc make binutils gnu-efi nasm ovmf mtools dosfstools gdisk
      libcmocka-dev python3-pytest python3-pytest-xdist clang
      python3-jsonschema python3-pil chromium)
QEMU_MIN=10.0
BACKPORTS_LIST=/etc/apt/sources.list.d/cxlval-bookworm-backports.sources

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

qemu_version() {
	command -v qemu-system-x86_64 >/dev/null 2>&1 || { echo 0; return; }
	qemu-system-x86_64 --version | sed -n 's/^QEMU emulator version \([0-9][0-9.]*\).*/\1/p'
}
qemu_ok() {
	local v; v=$(qemu_version)
	[ "$(printf '%s\n%s\n' "$QEMU_MIN" "$v" | sort -V | head -n1)" = "$QEMU_MIN" ]
}

need_qemu=0
qemu_ok || need_qemu=1
[ ${#missing[@]} -eq 0 ] && [ $need_qemu -eq 0 ] && exit 0

if [ $need_qemu -eq 1 ] && . /etc/os-release && [ "${VERSION_CODENAME:-}" = bookworm ] \
   && [ ! -e "$BACKPORTS_LIST" ] && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo "install-deps: adding Debian's bookworm-backports suite ($BACKPORTS_LIST) for QEMU >= $QEMU_MIN"
	$sudo tee "$BACKPORTS_LIST" >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
want=("${missing[@]}")
[ $need_qemu -eq 1 ] && want+=("qemu-system-x86 (>= $QEMU_MIN)")
echo "install-deps: installing ${want[*]}"
$sudo apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
	$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ $need_qemu -eq 1 ]; then
	suite=()
	grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ && suite=(-t bookworm-backports)
	$sudo apt-get install -y -qq --no-install-recommends "${suite[@]}" qemu-system-x86 >/dev/null
	qemu_ok || { echo "install-deps: qemu-system-x86_64 is $(qemu_version), cxlval's tests need >= $QEMU_MIN" >&2; exit 1; }
fi
echo "install-deps: $(qemu-system-x86_64 --version | head -n1)"
