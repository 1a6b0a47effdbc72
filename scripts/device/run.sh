#!/usr/bin/env bash
# On a lent CUDA machine (from the repository root, with .device and lib carried; see pack.sh):
# builds the addon against the machine's Python torch (libtorch with CUDA), then runs the CUDA
# checks (scripts/device/cuda-checks.js) and the CUDA benchmark against vin_pytorch.py --device cuda.
# Everything it prints also goes to $OUT (info.txt, cuda-checks.json, bench.txt, bench-cuda.json).
set -euo pipefail
out="${OUT:-/tmp/keratorch-device}"
mkdir -p "$out" /tmp/keratorch-node
tar -xJf .device/node.tar.xz -C /tmp/keratorch-node
export PATH="/tmp/keratorch-node:$PATH"
[[ -d node_modules/node-addon-api ]] || tar -xJf .device/node-api.tar.xz
python="${KERATORCH_BENCH_PYTHON:-$(command -v python3)}"
prefix="$("$python" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')"
# The GPU's architecture, e.g. 90 (libtorch reads it as 9.0: KERATORCH_CUDA_ARCHS).
arch="$("$python" -c 'import torch; p = torch.cuda.get_device_properties(0); print(f"{p.major}{p.minor}")')"
cmake -S . -B build-cuda -DCMAKE_BUILD_TYPE=Release -DTorch_DIR="$prefix/Torch" \
  -DKERATORCH_CUDA_ARCHS="${arch%?}.${arch: -1}" 2>&1 | tail -5 | tee "$out/cmake.txt"
cmake --build build-cuda -j "$(nproc)" 2>&1 | tail -3
export KERATORCH_ADDON="$PWD/build-cuda/keratorch.node" KERATORCH_BENCH_PYTHON="$python"
node lib/cli/main.js info | tee "$out/info.txt"
node scripts/device/cuda-checks.js | tee "$out/cuda-checks.json"
# One round: the device's time is short (a round is a process per engine and grid).
node bench/run.js --device cuda --only pytorch,keratorch --grid 8,16,28 --steps 20 --rounds 1 \
  --out "$out/bench-cuda.json" 2>&1 | tee "$out/bench.txt"
