#!/usr/bin/env bash
# Print the Flink cluster's REST overview (/overview), or say it is not running (exit 1).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if body="$(curl -fsS --max-time 3 "$FLINK_REST/overview" 2>/dev/null)"; then
  jm="$(flink_pid jobmanager || echo -)"
  tm="$(flink_pid taskmanager || echo -)"
  echo "Flink at 127.0.0.1:$FLINK_PORT (jobmanager pid $jm, taskmanager pid $tm)" >&2
  if command -v jq >/dev/null; then jq . <<<"$body"; else echo "$body"; fi
else
  echo "Flink is not running at 127.0.0.1:$FLINK_PORT" >&2
  exit 1
fi
