#!/usr/bin/env bash
# Prepares what a lent CUDA machine needs and lacks (its image has CUDA, cmake and Python torch 2.x,
# but no Node): this machine's Node binary and the Node-API headers, xz-compressed under .device/,
# plus lib/ (the compiled TypeScript). Carry `.device` and `lib` with the run; see run.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup.sh >/dev/null
mkdir -p .device
tar -C "$(dirname "$(command -v node)")" -cJf .device/node.tar.xz node
tar -cJf .device/node-api.tar.xz node_modules/node-addon-api node_modules/node-api-headers
du -ch .device/* lib | tail -1
