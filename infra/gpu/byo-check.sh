#!/usr/bin/env bash
# Bring-your-own-libtorch check; needs no GPU. Trains the quickstart pipeline (gmm, 600 iterations, then its sample
# step) and 5 MNIST iterations twice on the CPU: through the bundled CPU build of libtorch, and through the CUDA build
# that infra/gpu/install-libtorch.sh installs (installed first if missing). Then compares every checkpoint file (weights,
# Adam moments) byte for byte, and says which libtorch each process loaded. Exit 0: all identical.
#
#   bash infra/gpu/byo-check.sh [OUT]     OUT: where the runs go (default: a new temp folder)
#   SHORTRUN_MNIST_DIR   MNIST's IDX files (default: ../shared/data/mnist beside the checkout)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$(mktemp -d /tmp/shortrun-byo-check.XXXXXX)}"
MNIST="${SHORTRUN_MNIST_DIR:-$ROOT/../shared/data/mnist}"
ENV_FILE="$(bash "$ROOT/infra/gpu/install-libtorch.sh")"

train_both() { # $1: bundled or byo
  "$ROOT/shortrun" run "$ROOT/pipelines/quickstart.yaml" --set "output=$OUT/$1" > "$OUT/$1-quickstart.log" 2>&1
  "$ROOT/shortrun" train --dataset mnist --data-dir "$MNIST" --iterations 5 --checkpoint-every 5 \
    --out "$OUT/$1/mnist" > "$OUT/$1-mnist.log" 2>&1
  grep -m1 '^  device: ' "$OUT/$1-mnist.log" | sed "s/^  /$1: /"
}

mkdir -p "$OUT"
echo "runs and logs in $OUT"
start=$(date +%s)
train_both bundled
(source "$ENV_FILE" && train_both byo)
echo "trained in $(( $(date +%s) - start )) s"
grep -q 'loaded from .*/torch/lib' <(grep -m1 '^  device: ' "$OUT/byo-mnist.log") \
  || { echo "FAIL: the byo run did not load the installed libtorch"; exit 1; }

differ=0
count=0
while IFS= read -r file; do
  rel="${file#"$OUT/bundled/"}"
  count=$((count + 1))
  if ! cmp -s "$file" "$OUT/byo/$rel"; then
    differ=$((differ + 1))
    python3 "$ROOT/infra/gpu/max_difference.py" "$file" "$OUT/byo/$rel"
  fi
done < <(find "$OUT/bundled" -path '*/checkpoints/*.safetensors' | sort)
if [ "$count" = 0 ]; then
  echo "FAIL: no checkpoints were written (see the logs in $OUT)"
  exit 1
fi
if [ "$differ" = 0 ]; then
  echo "OK: all $count checkpoint files (weights and Adam moments, quickstart and MNIST) are bit-identical"
else
  echo "FAIL: $differ of $count checkpoint files differ"
  exit 1
fi
