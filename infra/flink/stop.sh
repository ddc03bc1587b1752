#!/usr/bin/env bash
# Stop the standalone Flink cluster started by infra/flink/start.sh. Idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

log() { echo "[flink] $*" >&2; }

stop_role() {
  local role="$1" pid i
  if ! pid="$(flink_pid "$role")"; then
    rm -f "$FLINK_RUN/$role.pid"
    return
  fi
  log "stopping $role (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 30; i++)); do
    flink_pid "$role" >/dev/null || break
    sleep 1
  done
  if flink_pid "$role" >/dev/null; then
    log "$role did not stop in 30s; killing pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$FLINK_RUN/$role.pid"
}

# TaskManager first, so it does not spin trying to reconnect
stop_role taskmanager
stop_role jobmanager

for ((i = 0; i < 30; i++)); do
  port_busy "$FLINK_PORT" || { log "stopped (port $FLINK_PORT free)"; exit 0; }
  sleep 1
done
log "port $FLINK_PORT is still in use (by a process this script did not start?)"
exit 1
