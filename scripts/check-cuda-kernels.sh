#!/usr/bin/env bash
# Compiles the fused value-iteration CUDA kernels with nvcc alone (no GPU, no CUDA libtorch needed),
# for the architectures a CUDA build targets, so a CPU-only machine still checks they build.
# Usage: scripts/check-cuda-kernels.sh [output.o]
#   NVCC=/path/to/nvcc picks the compiler; KERATORCH_CUDA_ARCHS="80 90" the architectures.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
nvcc="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
out="${1:-$(mktemp -d)/vin_fused_cuda.o}"
read -r -a archs <<< "${KERATORCH_CUDA_ARCHS:-75 80 86 89 90}"
gencode=()
for a in "${archs[@]}"; do gencode+=(-gencode "arch=compute_${a},code=sm_${a}"); done
"$nvcc" -std=c++17 -O3 -Werror all-warnings "${gencode[@]}" -Xcompiler -Wall,-Wextra,-Werror \
  -c "$root/binding/vin_fused_cuda.cu" -o "$out"
echo "compiled $root/binding/vin_fused_cuda.cu with $("$nvcc" --version | tail -1) for sm_${archs[*]} -> $out"
