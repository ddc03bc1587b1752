#!/usr/bin/env bash
# Measures the regression gate's error rates on a sweep (default sweeps/regression-toys.yaml):
#   false alarms: N sweeps of the unchanged build with fresh seeds, each compared with the baseline;
#   detection:    N sweeps of a deliberately broken build (SHORTRUN_FAULT, e.g. data_noise=0.03 or
#                 leaky_relu_slope=0.2; see model/.../util/Faults.java), fresh seeds too.
# Every trial runs in its own folder under OUT (default /tmp/shortrun-gate-rates) and prints one line; the last
# lines are the two rates. Each trial is one sweep (~1 minute for regression-toys on 2 idle cores).
#   bash infra/regression/error-rates.sh [--trials N] [--fault F] [--sweep S] [--baseline FILE] [--out DIR]
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
trials=5; fault="data_noise=0.03"; sweep="$ROOT/sweeps/regression-toys.yaml"; baseline=""; out=/tmp/shortrun-gate-rates
while [ $# -gt 0 ]; do
  case "$1" in
    --trials) trials=$2; shift 2 ;;
    --fault) fault=$2; shift 2 ;;
    --sweep) sweep=$(realpath "$2"); shift 2 ;;
    --baseline) baseline=$(realpath "$2"); shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "error-rates.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
seeds_line=$(grep -E '^  seeds: \[' "$sweep") || { echo "error-rates.sh: $sweep has no 'axes: seeds: [...]' line" >&2; exit 2; }
n_seeds=$(echo "$seeds_line" | tr -cd ',' | wc -c); n_seeds=$((n_seeds + 1))
sweep_dir=$(dirname "$sweep")
[ -n "$baseline" ] || baseline="$sweep_dir/$(grep -E '^  baseline: ' "$sweep" | sed 's/^  baseline: //')"
[ -f "$baseline" ] || { echo "error-rates.sh: baseline $baseline not found" >&2; exit 2; }

alarms=0; caught=0
trial() { # kind index fault
  local kind=$1 i=$2 f=$3 dir="$out/$1-$2" offset=0 seeds=""
  [ "$kind" = broken ] && offset=50
  local first=$((1000 * (i + offset) + 1))
  for ((k = 0; k < n_seeds; k++)); do seeds+="${seeds:+, }$((first + k))"; done
  mkdir -p "$dir"
  # the same sweep with other seeds; bases made absolute so that the copy can live anywhere
  sed -e "s#^  seeds: \[.*#  seeds: [$seeds]#" -e "s#^\(  - \)\(\.\./\)#\1$sweep_dir/\2#" -e "s#^base: \.\./#base: $sweep_dir/../#" \
    "$sweep" > "$dir/sweep.yaml"
  local start=$SECONDS
  (cd "$dir" && env ${f:+SHORTRUN_FAULT=$f} "$ROOT/shortrun" sweep sweep.yaml > sweep.log 2>&1)
  local sweep_rc=$?
  (cd "$dir" && "$ROOT/shortrun" compare sweep.yaml --baseline "$baseline" > compare.log 2>&1)
  local rc=$?
  printf '%-9s %2d  seeds %-22s sweep rc %d, compare rc %d, %4d s  %s\n' "$kind" "$i" "[$seeds]" "$sweep_rc" "$rc" \
    $((SECONDS - start)) "$(grep -E '^(PASS|REGRESSION)' "$dir/compare.log" || tail -1 "$dir/compare.log")"
  return $rc
}
for ((i = 1; i <= trials; i++)); do trial unchanged "$i" ""; [ $? -eq 3 ] && alarms=$((alarms + 1)); done
for ((i = 1; i <= trials; i++)); do trial broken "$i" "$fault"; [ $? -eq 3 ] && caught=$((caught + 1)); done
echo "false alarms: $alarms of $trials unchanged builds (fresh seeds)"
echo "detection:    $caught of $trials broken builds ($fault)"
