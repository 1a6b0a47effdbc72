#!/usr/bin/env bash
# Trains the shipped models (models/vin-8x8, models/vin-16x16) from keratorch's own generated data,
# then evaluates each on the original test file (when present) and on generated maps from a seed
# never used in training. Figures go to models/<name>/eval-*.json. Usage: scripts/train-models.sh [8|16 ...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cli="node lib/cli/main.js"
original=../shared/data/vin-original
for grid in "${@:-8 16}"; do
  out=models/vin-${grid}x${grid}
  # 8x8 (shipped): --domains 10000 --epochs 40 --lr-patience 3 (628 s on this 2-core VM).
  $cli train --grid "$grid" --domains "${DOMAINS:-10000}" --epochs "${EPOCHS:-40}" --lr-patience 3 --seed 1 --out "$out"
  $cli gen --grid "$grid" --domains 1000 --seed 424242 --out "/tmp/vin-test-$grid.npz"
  $cli eval --model "$out" --data "/tmp/vin-test-$grid.npz" --json | tee "$out/eval-generated.json"
  if [[ -f "$original/gridworld_${grid}_test.mat" ]]; then
    $cli eval --model "$out" --data "$original/gridworld_${grid}_test.mat" --json | tee "$out/eval-original.json"
  fi
done
