#!/usr/bin/env bash
# Removes the cron entry install.sh made for a sweep of this checkout, and only that one:
#   bash infra/schedule/remove.sh SWEEP.yaml
# The state folder (log, baseline.json) is kept. Exit 0 also when there was no such entry (it says so).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -eq 1 ] && [ "$1" != -h ] && [ "$1" != --help ] || { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
command -v crontab >/dev/null || { echo "no crontab command: nothing is scheduled"; exit 0; }
sweep="$(sweep_path "$1")"
mark="$(marker "$sweep")"
crontab_lock
if ! crontab_read | awk -v m="$mark" '{ n = length($0); k = length(m); if (n >= k && substr($0, n - k + 1) == m) f = 1 } END { exit !f }'; then
  echo "not scheduled: $sweep (checkout $ROOT)"
  exit 0
fi
rest="$(crontab_without "$mark")"
if [ -z "$rest" ]; then
  crontab -r
else
  printf '%s\n' "$rest" | crontab -
fi
echo "removed: $sweep (checkout $ROOT)"
