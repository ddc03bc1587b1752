#!/usr/bin/env bash
# Installs one cron entry (the user's crontab) that runs infra/schedule/fire.sh for a sweep:
#   bash infra/schedule/install.sh SWEEP.yaml [--at 'CRON EXPR'] [--mlflow-uri URI] [--state-dir DIR]
#        [--set KEY=VALUE ...]
# Default schedule: nightly at 03:17 ('17 3 * * *'). Installing the same sweep of the same checkout again replaces
# its entry (the line ends with a marker naming both); other entries, shortrun's or not, are kept as they are.
# Installs Debian's cron if missing and starts its daemon if it is not running. The spec is checked first
# (./shortrun validate, with the same --set), so a typo fails now rather than at 3 a.m.
# Advanced: --launcher CMD runs shortrun through CMD instead of the checkout's ./shortrun (the tests use it).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ $# -ge 1 ] || usage
case "$1" in -h|--help) usage ;; esac
sweep="$(sweep_path "$1")"; shift
at="17 3 * * *"
mlflow=""
state=""
launcher=""
sets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --at) [ $# -ge 2 ] || usage; at="$2"; shift 2 ;;
    --mlflow-uri) [ $# -ge 2 ] || usage; mlflow="$2"; shift 2 ;;
    --state-dir) [ $# -ge 2 ] || usage; state="$(realpath -m -- "$2")"; shift 2 ;;
    --set) [ $# -ge 2 ] || usage; sets+=("$2"); shift 2 ;;
    --launcher) [ $# -ge 2 ] || usage; launcher="$(realpath -m -- "$2")"; shift 2 ;;
    -h|--help) usage ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[ -f "$sweep" ] || die "no sweep spec at $sweep"
[ "$(echo "$at" | wc -w)" -eq 5 ] || die "--at takes the five fields of a crontab schedule, e.g. '17 3 * * *' (got '$at')"
[ -n "$state" ] || state="$ROOT/runs/schedule/$(sweep_stem "$sweep")"

# The spec must resolve now, with the same overrides (this also builds the checkout on first use).
check=("${launcher:-$ROOT/shortrun}" validate "$sweep")
for s in "${sets[@]+"${sets[@]}"}"; do check+=(--set "$s"); done
if ! out="$(cd "$ROOT" && "${check[@]}" 2>&1)"; then
  echo "$out" >&2
  die "the sweep does not validate; nothing installed"
fi

if ! grep -q '^regression:' "$sweep"; then
  echo "${0##*/}: warning: $sweep has no regression: section: its firings run, but compare cannot gate them" \
    "(each firing after the first logs a gate ERROR and keeps the first baseline)" >&2
fi

ensure_cron
mkdir -p "$state"

# cron starts jobs with PATH=/usr/bin:/bin and little else: give fire.sh the java and mvn this shell finds.
path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
for tool in mvn java; do
  if dir="$(dirname "$(command -v "$tool" 2>/dev/null)" 2>/dev/null)" && [ "$dir" != "." ]; then
    case ":$path:" in *":$dir:"*) ;; *) path="$dir:$path" ;; esac
  fi
done
line="$at PATH=$(cron_quote "$path")"
[ -z "${JAVA_HOME:-}" ] || line+=" JAVA_HOME=$(cron_quote "$JAVA_HOME")"
line+=" $(cron_quote "$ROOT/infra/schedule/fire.sh") $(cron_quote "$sweep") --state-dir $(cron_quote "$state")"
[ -z "$mlflow" ] || line+=" --mlflow-uri $(cron_quote "$mlflow")"
[ -z "$launcher" ] || line+=" --launcher $(cron_quote "$launcher")"
for s in "${sets[@]+"${sets[@]}"}"; do line+=" --set $(cron_quote "$s")"; done
mark="$(marker "$sweep")"
case "$mark" in *%*) die "the checkout's or the sweep's path has a '%', which cron cannot keep in its marker" ;; esac
line+=" $mark"

crontab_lock
replaced=""
crontab_read | grep -qF -- "$mark" && replaced=1
if ! { crontab_without "$mark"; echo "$line"; } | crontab -; then
  die "crontab refused the entry (is '$at' a valid schedule?); the crontab is unchanged"
fi
echo "${replaced:+re}installed: $at  $sweep"
echo "  runs:  $ROOT/infra/schedule/fire.sh (sweep --trigger schedule --fresh, gate, baseline)"
echo "  log:   $state/schedule.log"
echo "  state: $state (baseline.json, fire.lock)"
echo "  remove: bash $ROOT/infra/schedule/remove.sh $sweep"
