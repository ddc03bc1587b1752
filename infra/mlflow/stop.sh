#!/usr/bin/env bash
# Stops the MLflow server started by start.sh (its whole process group) and waits until the port is free.
# Idempotent: with no pid file or a dead process it only cleans up.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${SHORTRUN_MLFLOW_STATE:-$ROOT/.mlflow}"
PORT="${SHORTRUN_MLFLOW_PORT:-5000}"
PID_FILE="$STATE/mlflow.pid"

port_in_use() { python3 - "$PORT" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
}

if [[ -f "$PID_FILE" ]]; then
  PID="$(cat "$PID_FILE")"
  # start.sh ran the server under setsid, so its pid is also its process group id.
  if kill -0 "$PID" 2>/dev/null; then
    kill -TERM -- "-$PID" 2>/dev/null || kill -TERM "$PID" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      kill -0 -- "-$PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$PID" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
fi

for ((i = 0; i < 150; i++)); do
  port_in_use || exit 0
  sleep 0.2
done
echo "error: port $PORT on 127.0.0.1 is still in use after stopping the server" >&2
exit 1
