#!/usr/bin/env bash
# Sets up discsim on Debian 12: installs the build dependencies that are missing (Debian
# packages only, non-interactive), configures a Release build in build/ and builds it.
# Idempotent; when everything is installed and built it takes a few seconds.
#   tools/setup.sh --peer   also installs CalculiX (calculix-ccx), the peer solver of
#                           `discsim bench --peer ccx` (docs/performance.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

packages=(build-essential cmake libeigen3-dev libvtk9-dev libtbb-dev catch2 libyaml-dev
          libsuitesparse-dev libmumps-seq-dev libopenblas-dev python3-matplotlib libopenmpi-dev openmpi-bin)
if [[ "${1:-}" == "--peer" ]]; then packages+=(calculix-ccx); fi
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if ((${#missing[@]} > 0)); then
    echo "setup: installing ${missing[*]}"
    as_root=()
    if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > "$log" 2>&1 || { cat "$log"; exit 1; }
cmake --build build -j "$(nproc)" >> "$log" 2>&1 || { tail -50 "$log"; exit 1; }
echo "setup: built build/bin/discsim"
