#!/usr/bin/env bash
# Installs one of the pip torch builds keratorch is tested against into its own virtual environment
# and prints the libtorch folder inside it (the value for LIBTORCH=):
#   scripts/get-torch.sh cpu     torch 2.13.0+cpu
#   scripts/get-torch.sh cuda    torch 2.14.1 (CUDA 13) with the nvidia-* libraries it loads
# A pip torch's site-packages/torch folder is a complete libtorch (lib/, include/, share/cmake/).
# The venvs live under $KERATORCH_TORCH_HOME (default ~/.cache/keratorch); a finished one is reused.
# torch 2.14.1's `cuda-bindings` requirement is a Python module libtorch does not use, and is not in
# every index: torch is installed with --no-deps and its native requirements are listed here.
set -euo pipefail

flavor=${1:-}
case "$flavor" in
  cpu) torch_spec="torch==2.13.0+cpu"; extra=() ;;
  cuda)
    torch_spec="torch==2.14.1"
    extra=("cuda-toolkit[cublas,cudart,cufft,cufile,cupti,curand,cusolver,cusparse,nvjitlink,nvrtc,nvtx]==13.0.3"
      "nvidia-cudnn-cu13==9.24.0.43" "nvidia-cusparselt-cu13==0.8.1" "nvidia-nccl-cu13==2.30.7"
      "nvidia-nvshmem-cu13==3.4.5") ;;
  *) echo "usage: scripts/get-torch.sh cpu|cuda" >&2; exit 2 ;;
esac

home=${KERATORCH_TORCH_HOME:-$HOME/.cache/keratorch}
venv="$home/torch-${torch_spec#torch==}"
say() { echo "[get-torch] $*" >&2; }

if [[ ! -f "$venv/.complete" ]]; then
  python=""
  for candidate in python3.11 python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import venv' 2>/dev/null; then
      python=$candidate; break
    fi
  done
  if [[ -z "$python" ]]; then
    say "no python3 with the venv module found: install python3 and python3-venv"; exit 1
  fi
  say "installing $torch_spec into $venv (pip, a few minutes the first time)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --retries 0 --no-deps "$torch_spec" >&2
  if ((${#extra[@]})); then "$venv/bin/pip" install --quiet --retries 0 "${extra[@]}" >&2; fi
  touch "$venv/.complete"
fi

site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$site/torch"
