#!/usr/bin/env bash
# `npm run prebuilds`: the prebuilt addons the package ships, each built in its own folder:
#  - prebuilds/<platform>-<arch>/keratorch.napi.node, against the system's libtorch (Debian's libtorch-dev);
#  - prebuilds/<platform>-<arch>/keratorch.torch2.13.napi.node, against pip's torch 2.13.0+cpu
#    (scripts/get-torch.sh cpu installs it into a venv).
# The loader and the install step pick the one that fits the libtorch they find.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f lib/addon_files.js ]] || npm run --silent build:ts
cmake_js=(node node_modules/cmake-js/bin/cmake-js compile)
env -u LIBTORCH -u Torch_DIR "${cmake_js[@]}" --out build/prebuild-system
node scripts/prebuild.js --from build/prebuild-system/Release/keratorch.node
pip_torch=$(bash scripts/get-torch.sh cpu)
LIBTORCH="$pip_torch" "${cmake_js[@]}" --out build/prebuild-pip-cpu
node scripts/prebuild.js --from build/prebuild-pip-cpu/Release/keratorch.node
ls -l prebuilds/*/
