#!/usr/bin/env bash
# What cron runs for a scheduled sweep (install.sh writes the entry); it can also be run by hand:
#   infra/schedule/fire.sh SWEEP.yaml [--state-dir DIR] [--mlflow-uri URI] [--set KEY=VALUE ...] [--launcher CMD]
#   1. takes STATE/fire.lock (flock -n): while an earlier firing still runs, it logs "skipped: previous firing still
#      running (pid N)" and exits 0;
#   2. ./shortrun sweep SWEEP --trigger schedule --fresh [--mlflow-uri URI] [--set ...]  (every firing trains anew);
#   3. with STATE/baseline.json (the last scheduled firing that passed): ./shortrun compare SWEEP --baseline it;
#      exit 3 there is a regression: logged as REGRESSION, the baseline is kept, fire.sh exits 3;
#   4. when the gate passed (or there was no baseline yet): ./shortrun baseline SWEEP --out STATE/baseline.json.
# Everything goes to STATE/schedule.log (default STATE: runs/schedule/<sweep file stem>/ in the checkout), each line
# led by its ISO time; the log is rotated above $SHORTRUN_SCHEDULE_LOG_MAX_BYTES (10 MB), 3 old ones kept.
# Exit: 0 (passed, first firing, or skipped), 3 (regression), else the failing command's code.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd -P)"

sweep=""
state=""
mlflow=""
launcher=""
sets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --state-dir) state="$2"; shift 2 ;;
    --mlflow-uri) mlflow="$2"; shift 2 ;;
    --launcher) launcher="$2"; shift 2 ;;
    --set) sets+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fire.sh: unknown option $1" >&2; exit 2 ;;
    *) [ -z "$sweep" ] || { echo "fire.sh: one sweep only" >&2; exit 2; }; sweep="$1"; shift ;;
  esac
done
[ -n "$sweep" ] || { echo "usage: fire.sh SWEEP.yaml [--state-dir DIR] [--mlflow-uri URI] [--set K=V ...]" >&2; exit 2; }

# paths given by hand are relative to where fire.sh was started (install.sh passes absolute ones)
sweep="$(realpath -m -- "$sweep")"
[ -z "$state" ] || state="$(realpath -m -- "$state")"
[ -z "$launcher" ] || case "$launcher" in */*) launcher="$(realpath -m -- "$launcher")" ;; esac

# cron's environment: PATH=/usr/bin:/bin, no JAVA_HOME, HOME and cwd the user's home.
export PATH="${PATH:+$PATH:}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
if [ -z "${JAVA_HOME:-}" ] && command -v java >/dev/null; then
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  export JAVA_HOME
fi
export HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
export LANG="${LANG:-C.UTF-8}"   # cron sets no locale: Java would print its tables' non-ASCII signs as '?'
cd "$ROOT" || exit 2

stem="${sweep##*/}"; stem="${stem%.yaml}"; stem="${stem%.yml}"
state="${state:-$ROOT/runs/schedule/$stem}"
mkdir -p "$state" || exit 2
LOG="$state/schedule.log"
LOCK="$state/fire.lock"
BASELINE="$state/baseline.json"
launcher="${launcher:-$ROOT/shortrun}"

# The lock: fd 9 stays open (and locked) in every process fire.sh starts, so a shortrun left running by a killed
# fire.sh still keeps the next firing out. Opened without truncating: the holder's pid is in it.
exec 9<>"$LOCK" || exit 2
locked=0
flock -n 9 && locked=1

if [ "$locked" -eq 1 ]; then
  max="${SHORTRUN_SCHEDULE_LOG_MAX_BYTES:-10485760}"
  if [ -f "$LOG" ] && [ "$(stat -c %s "$LOG")" -gt "$max" ]; then
    for i in 2 1; do [ -f "$LOG.$i" ] && mv -f "$LOG.$i" "$LOG.$((i + 1))"; done
    mv -f "$LOG" "$LOG.1"
  fi
fi

# Every line of fire.sh and of the commands it runs goes to the log, led by its time.
stamp() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    printf '%(%Y-%m-%dT%H:%M:%S%z)T %s\n' -1 "$line"
  done
}
exec > >(exec 9>&-; stamp >>"$LOG") 2>&1
STAMPER=$!
finish() {
  local rc=$?
  exec >&- 2>&-
  wait "$STAMPER" 2>/dev/null
  exit "$rc"
}
trap finish EXIT

holder_pid() {
  local pid inode
  pid="$(head -c 32 "$LOCK" 2>/dev/null | tr -dc 0-9)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "$pid"
    return
  fi
  # held by something else than a firing (an admin's flock, a test): the kernel's lock table names the process
  inode="$(stat -c %i "$LOCK")"
  pid="$(awk -v ino="$inode" '$2 == "FLOCK" { split($6, d, ":"); if (d[3] == ino) { print $5; exit } }' /proc/locks 2>/dev/null)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; else echo "unknown"; fi
}

if [ "$locked" -eq 0 ]; then
  echo "skipped: previous firing still running (pid $(holder_pid)) [$sweep]"
  exit 0
fi
printf '%s\n' "$$" >"$LOCK"

started=$SECONDS
if [ ! -f "$sweep" ]; then
  echo "the sweep spec $sweep is gone: nothing to run (bash $ROOT/infra/schedule/remove.sh $sweep unschedules it)"
  exit 2
fi
echo "firing $sweep (pid $$, checkout $ROOT, code $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown))"

over=()
for s in "${sets[@]+"${sets[@]}"}"; do over+=(--set "$s"); done
tracking=()
[ -z "$mlflow" ] || tracking=(--mlflow-uri "$mlflow")

run() {
  echo "\$ $*"
  "$@" </dev/null
}

run "$launcher" sweep "$sweep" --trigger schedule --fresh "${tracking[@]+"${tracking[@]}"}" "${over[@]+"${over[@]}"}"
rc=$?
if [ "$rc" -ne 0 ]; then
  echo "sweep failed (exit $rc): no gate, baseline unchanged"
  echo "firing finished: exit $rc after $((SECONDS - started)) s"
  exit "$rc"
fi

if [ -f "$BASELINE" ]; then
  echo "gate: comparing with $BASELINE (recorded $(date -r "$BASELINE" '+%Y-%m-%dT%H:%M:%S%z'))"
  run "$launcher" compare "$sweep" --baseline "$BASELINE" "${tracking[@]+"${tracking[@]}"}" "${over[@]+"${over[@]}"}"
  rc=$?
  case "$rc" in
    0) echo "gate verdict: PASS (no regression against the previous scheduled firing)" ;;
    3)
      echo "gate verdict: REGRESSION against the previous scheduled firing; baseline kept ($BASELINE)"
      echo "firing finished: exit 3 after $((SECONDS - started)) s"
      exit 3 ;;
    *)
      echo "gate verdict: ERROR: compare could not compare (exit $rc); baseline unchanged"
      echo "firing finished: exit $rc after $((SECONDS - started)) s"
      exit "$rc" ;;
  esac
else
  echo "first scheduled firing: no previous run to compare against"
fi

run "$launcher" baseline "$sweep" --out "$BASELINE" "${over[@]+"${over[@]}"}"
rc=$?
if [ "$rc" -ne 0 ]; then
  echo "could not record the baseline (exit $rc)"
  echo "firing finished: exit $rc after $((SECONDS - started)) s"
  exit "$rc"
fi
echo "baseline recorded: $BASELINE"
echo "firing finished: exit 0 after $((SECONDS - started)) s"
exit 0
