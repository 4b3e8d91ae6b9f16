# Sourced by run.sh and test.sh: installs the Debian 12 packages that are missing.
# usage: umbra_install_packages PKG...

umbra_apt() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "umbra: need root (or sudo) to install: ${*: -1}" >&2; return 1; fi
}

umbra_install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "umbra: installing ${missing[*]}"
  # Package scripts must not start system services (i2pd would join the public network):
  # a policy-rc.d that refuses every start, only for the time of this install.
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [ ! -e "$policy" ]; then
    umbra_apt sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy" && own_policy=1
  fi
  local rc=0
  umbra_apt env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    umbra_apt env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" || rc=$?
  [ $own_policy = 1 ] && umbra_apt rm -f "$policy"
  if [[ " ${missing[*]} " == *" i2pd "* ]] && command -v systemctl >/dev/null &&
     [ -d /run/systemd/system ]; then
    umbra_apt systemctl disable --now i2pd >/dev/null 2>&1 || true
  fi
  return $rc
}

# libsodium-dev: X25519 and Ed25519 in crypto/ (crypto/README.md says why not OpenSSL's).
UMBRA_BUILD_PACKAGES=(build-essential cmake ninja-build ccache pkg-config libssl-dev libsodium-dev
  zlib1g-dev libboost1.81-dev libboost-program-options1.81-dev libboost-test1.81-dev
  ca-certificates)
