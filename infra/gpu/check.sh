#!/usr/bin/env bash
# For a host with an NVIDIA GPU (and its driver): does shortrun train on it, and does the GPU compute what the CPU does?
# Installs the CUDA build of libtorch if missing (install-libtorch.sh), then trains MNIST for 3 iterations with K=5
# from the same seed twice through it, on the GPU and on the CPU. Both runs draw their initial weights, batches and
# Langevin noise from shortrun's own CPU-side random stream, so they see the same numbers; the comparison is of what
# the devices compute: per iteration f(x+), f(x-) and |grad_x f|, and the final weights.
#
# Tolerance: |gpu - cpu| <= 1e-3 * |cpu| + 1e-6 per number. cuDNN may pick TF32 convolutions on Ampere and later
# GPUs (PyTorch's default), which round to 10 mantissa bits: relative differences of 1e-4 to 1e-3, not 1e-7.
#
#   bash infra/gpu/check.sh [OUT] [DEVICE]   OUT: default a temp folder; DEVICE: default gpu:0
#   SHORTRUN_MNIST_DIR   MNIST's IDX files (default: ../shared/data/mnist beside the checkout)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$(mktemp -d /tmp/shortrun-gpu-check.XXXXXX)}"
DEVICE="${2:-gpu:0}"
MNIST="${SHORTRUN_MNIST_DIR:-$ROOT/../shared/data/mnist}"
command -v nvidia-smi >/dev/null && nvidia-smi -L || echo "nvidia-smi not found: is the NVIDIA driver installed?"
source "$(bash "$ROOT/infra/gpu/install-libtorch.sh")"
mkdir -p "$OUT"
for device in cpu "$DEVICE"; do
  "$ROOT/shortrun" train --dataset mnist --data-dir "$MNIST" --iterations 3 --checkpoint-every 3 -K 5 \
    --device "$device" --out "$OUT/$device" 2>&1 | tee "$OUT/$device.log" | grep -E '^(  device|error)' || true
  [ -f "$OUT/$device/metrics.csv" ] || { echo "FAIL: the $device run did not train (log: $OUT/$device.log)"; exit 1; }
done
python3 - "$OUT/cpu" "$OUT/$DEVICE" <<'PY'
import csv, sys
cpu, gpu = (list(csv.DictReader(open(f"{d}/metrics.csv"))) for d in sys.argv[1:3])
worst = 0.0
for a, b in zip(cpu, gpu):
    for key in ("f_pos", "f_neg", "grad_norm"):
        x, y = float(a[key]), float(b[key])
        excess = abs(x - y) / (1e-3 * abs(x) + 1e-6)
        worst = max(worst, excess)
        print(f"iteration {a['iteration']} {key}: cpu {x:.7g} gpu {y:.7g} |diff| {abs(x - y):.3g}")
if len(cpu) != 3 or len(gpu) != 3:
    sys.exit(f"FAIL: expected 3 iterations from each run, got {len(cpu)} and {len(gpu)}")
print(("OK" if worst <= 1 else "FAIL") + f": the largest difference is {worst:.2f} x the tolerance")
sys.exit(0 if worst <= 1 else 1)
PY
for f in "$OUT/cpu"/checkpoints/*.safetensors; do
  python3 "$ROOT/infra/gpu/max_difference.py" "$f" "$OUT/$DEVICE/checkpoints/$(basename "$f")"
done
