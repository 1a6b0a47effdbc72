#!/usr/bin/env bash
# Makes this checkout ready to run: system packages (libtorch, cmake, a compiler), npm packages,
# the native addon and the TypeScript build. Each step runs only when something is missing or
# out of date, so a ready checkout passes through in well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "[setup] $*"; }

# 1. System packages (Debian/Ubuntu). Skipped when LIBTORCH or Torch_DIR points at another libtorch.
packages=(cmake g++ make)
if [[ -z "${LIBTORCH:-}" && -z "${Torch_DIR:-}" ]]; then packages+=(libtorch-dev); fi
missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  install_cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then
    say "installing system packages: ${missing[*]} (apt-get)"
    bash -c "$install_cmd"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    say "installing system packages with sudo: ${missing[*]} (apt-get)"
    sudo bash -c "$install_cmd"
  else
    say "missing system packages: ${missing[*]}. Run this, then run the command again:"
    echo "  sudo bash -c '$install_cmd'"
    exit 1
  fi
fi

# True when any file under the given paths is newer than $1 (or $1 is missing).
stale() {
  local target=$1; shift
  [[ ! -e "$target" ]] && return 0
  [[ -n "$(find "$@" -newer "$target" -type f -print -quit 2>/dev/null)" ]]
}

# 2. npm packages, exactly as package-lock.json says.
if stale node_modules/.package-lock.json package-lock.json package.json; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

# 3. The native addon, against the libtorch LIBTORCH or Torch_DIR names (else the system's, else a
#    Python torch's). A different choice than the last build's starts the build folder afresh.
choice="LIBTORCH=${LIBTORCH:-} Torch_DIR=${Torch_DIR:-}"
# (A build folder without .torch-choice predates this check: its libtorch is unknown.)
if [[ -d build && "$(cat build/.torch-choice 2>/dev/null || echo unknown)" != "$choice" ]]; then
  say "libtorch changed (now: $choice): rebuilding the addon from scratch"
  rm -rf build
fi
if stale build/Release/keratorch.node binding CMakeLists.txt cmake; then
  say "building the native addon against libtorch (cmake-js; a few minutes the first time)"
  npm run --silent build:native
  echo "$choice" > build/.torch-choice
fi

# 4. The TypeScript build (lib/).
if stale lib/index.mjs src tsconfig.json tsconfig.build.json scripts/write-esm-entry.mjs; then
  say "compiling TypeScript (lib/)"
  npm run --silent build:ts
fi

# 5. The prebuilt-addon layout (prebuilds/<platform>-<arch>/), copied from the source build, so the
#    package tests can pack and install it: keratorch.napi.node from a system libtorch build,
#    keratorch.torch<version>.napi.node from a pip torch build (`npm run prebuilds` builds both).
if stale build/.prebuild-copied build/Release/keratorch.node lib/addon_files.js scripts/prebuild.js; then
  say "copying the addon into prebuilds/ (prebuild layout)"
  node scripts/prebuild.js --copy-only
  touch build/.prebuild-copied
fi
