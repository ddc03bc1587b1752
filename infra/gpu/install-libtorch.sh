#!/usr/bin/env bash
# Bring your own libtorch: installs PyPI's torch 2.7.1 (a CUDA 12 build: the libtorch DJL's pytorch-jni 2.7.1-0.35.1
# was built against) into a venv, and makes a folder of its libraries that DJL can load. Maven Central has only the
# CPU build of libtorch 2.7.1; DJL's JNI jar already carries the cu128 flavour of its own glue library.
#
#   bash infra/gpu/install-libtorch.sh            # then: source .venv-torch-cuda/shortrun-libtorch.env
#
# Every wheel is pinned by version and sha256 (infra/gpu/requirements.txt; pip --require-hashes). A first install
# downloads ~3 GB (torch and its nvidia-* wheels) and takes a minute or two on a fast link. It works on a machine
# without a GPU too: libtorch then sees no GPU and shortrun runs on the CPU through this libtorch (how the loading path
# is tested: infra/gpu/byo-check.sh).
#
#   SHORTRUN_TORCH_CUDA_VENV   where the venv goes (default: <repo>/.venv-torch-cuda)
#   SHORTRUN_WHEELS            a local folder of the same wheels (pip --no-index --find-links), for machines without
#                              PyPI; the hashes are checked all the same
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${SHORTRUN_TORCH_CUDA_VENV:-$ROOT/.venv-torch-cuda}"
REQUIREMENTS="$ROOT/infra/gpu/requirements.txt"
STAMP="$VENV/.shortrun-requirements.txt"

if ! cmp -s "$REQUIREMENTS" "$STAMP" || ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
  echo "installing torch 2.7.1 (CUDA 12 build, ~3 GB) into $VENV" >&2
  python3 -m venv "$VENV"
  source_args=()
  if [ -n "${SHORTRUN_WHEELS:-}" ]; then
    source_args=(--no-index --find-links "$SHORTRUN_WHEELS")
  fi
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps "${source_args[@]}" \
    -r "$REQUIREMENTS" >&2
  cp "$REQUIREMENTS" "$STAMP"
fi

export PYTHONWARNINGS=ignore # torch warns that numpy is missing: nothing here needs it
TORCH_DIR="$("$VENV/bin/python" -c 'import os, torch; print(os.path.dirname(torch.__file__))')"
# DJL loads every library in PYTORCH_LIBRARY_PATH. The folder sits beside torch/lib, so that the libraries' RUNPATH
# ($ORIGIN/../../nvidia/*/lib, where the nvidia-* wheels put CUDA) still resolves through the links.
LIBS="$TORCH_DIR/lib-djl"
rm -rf "$LIBS"
mkdir -p "$LIBS"
have_driver=0
if ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1'; then
  have_driver=1
fi
for lib in "$TORCH_DIR"/lib/*.so*; do
  name="$(basename "$lib")"
  # NVRTC's torch glue links the driver's libcuda.so.1 directly: on a host without the NVIDIA driver it cannot
  # load, and DJL would fail on it. Nothing shortrun runs needs it (runtime compilation of CUDA kernels).
  if [ "$name" = libcaffe2_nvrtc.so ] && [ "$have_driver" = 0 ]; then
    continue
  fi
  ln -s "../lib/$name" "$LIBS/$name"
done

# DJL counts GPUs through the CUDA runtime by its unversioned name, libcudart.so, which the nvidia-cuda-runtime wheel
# does not have (only libcudart.so.12): without this link DJL would see no GPU on a host that has one.
CUDART_DIR="$VENV/shortrun-cudart"
mkdir -p "$CUDART_DIR"
ln -sfn "$(dirname "$TORCH_DIR")/nvidia/cuda_runtime/lib/libcudart.so.12" "$CUDART_DIR/libcudart.so"

ENV_FILE="$VENV/shortrun-libtorch.env"
cat > "$ENV_FILE" <<ENV
# DJL loads libtorch from here instead of the bundled CPU build (written by infra/gpu/install-libtorch.sh)
export PYTORCH_LIBRARY_PATH="$LIBS"
export PYTORCH_VERSION=2.7.1
export PYTORCH_FLAVOR=cu128
export LD_LIBRARY_PATH="$CUDART_DIR\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
ENV
gpus="$("$VENV/bin/python" -c 'import torch; print(torch.cuda.device_count())' 2>/dev/null || echo 0)"
echo "libtorch 2.7.1 (CUDA $("$VENV/bin/python" -c 'import torch; print(torch.version.cuda)')) in $LIBS; GPUs it sees: $gpus" >&2
echo "use it:  source $ENV_FILE" >&2
echo "$ENV_FILE"
