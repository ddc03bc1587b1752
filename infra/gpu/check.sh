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

# bf16 chains on the GPU (sampler.precision bf16, autograd on the cast state: the fused path is CPU-only): the same 3
# iterations must train and stay near the fp32 GPU run. bf16 keeps 8 significant bits: the chains' gradients differ
# by ~5% (measured on the CPU), so this checks 10% on |grad_x f|, a smoke test rather than a conformance check.
"$ROOT/shortrun" train --dataset mnist --data-dir "$MNIST" --iterations 3 --checkpoint-every 3 -K 5 \
  --device "$DEVICE" --precision bf16 --out "$OUT/$DEVICE-bf16" > "$OUT/$DEVICE-bf16.log" 2>&1 \
  || { echo "FAIL: bf16 on $DEVICE did not train (log: $OUT/$DEVICE-bf16.log)"; exit 1; }
python3 - "$OUT/$DEVICE" "$OUT/$DEVICE-bf16" "$DEVICE" <<'PY'
import csv, math, sys
fp32, bf16 = (list(csv.DictReader(open(f"{d}/metrics.csv"))) for d in sys.argv[1:3])
worst = max(abs(float(b["grad_norm"]) - float(a["grad_norm"])) / float(a["grad_norm"]) for a, b in zip(fp32, bf16))
ok = len(bf16) == 3 and all(math.isfinite(float(r[k])) for r in bf16 for k in ("f_pos", "f_neg")) and worst <= 0.1
print(("OK" if ok else "FAIL") + f": bf16 on {sys.argv[3]}, |grad f| within {100 * worst:.3f}% of fp32 (limit 10%)")
sys.exit(0 if ok else 1)
PY
