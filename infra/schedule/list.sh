#!/usr/bin/env bash
# Lists the sweeps scheduled in the user's crontab by install.sh (all checkouts), with each one's log and the last
# line it logged:
#   bash infra/schedule/list.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

command -v crontab >/dev/null || { echo "no crontab command: nothing is scheduled"; exit 0; }
found=0
while IFS= read -r line; do
  case "$line" in \#*) continue ;; esac
  case "$line" in *"$MARKER_TAG checkout="*) ;; *) continue ;; esac
  found=1
  at="$(echo "$line" | awk '{ print $1, $2, $3, $4, $5 }')"
  ident="${line##*"$MARKER_TAG "}"
  checkout="${ident#checkout=}"; checkout="${checkout%% sweep=*}"
  sweep="${ident##* sweep=}"
  state="$(echo "$line" | sed -n "s/.* --state-dir '\([^']*\)'.*/\1/p")"
  echo "$at  $sweep"
  echo "    checkout: $checkout"
  if [ -n "$state" ]; then
    echo "    log:      $state/schedule.log"
    if [ -f "$state/schedule.log" ]; then
      echo "    last:     $(tail -n 1 "$state/schedule.log")"
    else
      echo "    last:     (not fired yet)"
    fi
  fi
done < <(crontab_read)
[ "$found" -eq 1 ] || echo "no shortrun schedules in $(id -un)'s crontab"
if [ "$found" -eq 1 ] && ! cron_running; then
  echo "warning: the cron daemon is not running: nothing fires (bash infra/schedule/install.sh starts it)" >&2
fi
