#!/usr/bin/env bash
# Starts a local MLflow tracking server (sqlite backend, proxied artifact store) and prints its tracking URI.
# Idempotent: if the server named by the pid file is alive and healthy, it only prints the URI.
#   SHORTRUN_MLFLOW_VENV   venv holding mlflow      (default: <repo>/.venv-mlflow)
#   SHORTRUN_MLFLOW_STATE  database, artifacts, pid and log (default: <repo>/.mlflow)
#   SHORTRUN_MLFLOW_PORT   port on 127.0.0.1         (default: 5000)
#   SHORTRUN_MLFLOW_WORKERS gunicorn workers         (default: 2)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${SHORTRUN_MLFLOW_VENV:-$ROOT/.venv-mlflow}"
STATE="${SHORTRUN_MLFLOW_STATE:-$ROOT/.mlflow}"
PORT="${SHORTRUN_MLFLOW_PORT:-5000}"
URI="http://127.0.0.1:$PORT"
PID_FILE="$STATE/mlflow.pid"
LOG_FILE="$STATE/mlflow.log"
HEALTH_TIMEOUT_S="${SHORTRUN_MLFLOW_START_TIMEOUT:-120}"

healthy() { python3 - "$URI/health" <<'PY' >/dev/null 2>&1
import sys, urllib.request
sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=2).status == 200 else 1)
PY
}

mkdir -p "$STATE/artifacts"

running() { [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

if running && healthy; then
  echo "$URI"
  exit 0
fi

# Install the pinned requirements into their own venv only when they are missing or have changed.
REQUIREMENTS="$(dirname "${BASH_SOURCE[0]}")/requirements.txt"
STAMP="$VENV/.shortrun-requirements.txt"
if ! cmp -s "$REQUIREMENTS" "$STAMP" || ! "$VENV/bin/python" -c "import mlflow" 2>/dev/null; then
  echo "installing $(grep '^mlflow==' "$REQUIREMENTS") into $VENV (first time takes a minute or two)" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS" >&2
  cp "$REQUIREMENTS" "$STAMP"
fi

if ! running && healthy; then
  echo "error: something else already answers on $URI (not the server in $PID_FILE); pick another SHORTRUN_MLFLOW_PORT" >&2
  exit 1
fi

# --serve-artifacts (the default since 2.0, explicit here) makes the server proxy artifact uploads, which the Java
# tracker relies on. Few workers: each imports mlflow (seconds of CPU), and a local server needs little concurrency.
ARGS=(server --host 127.0.0.1 --port "$PORT"
      --backend-store-uri "sqlite:///$STATE/mlflow.db"
      --artifacts-destination "$STATE/artifacts"
      --serve-artifacts
      --workers "${SHORTRUN_MLFLOW_WORKERS:-2}")

# A server of ours that is still starting (another start.sh launched it) is waited for, not started twice.
if ! running; then
  # setsid gives the server its own process group so stop.sh can also end its gunicorn workers.
  setsid "$VENV/bin/mlflow" "${ARGS[@]}" >"$LOG_FILE" 2>&1 < /dev/null &
  echo $! > "$PID_FILE"
fi

for ((waited = 0; waited < HEALTH_TIMEOUT_S; waited++)); do
  if healthy; then
    echo "$URI"
    exit 0
  fi
  if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    echo "error: MLflow server exited during start-up; last lines of $LOG_FILE:" >&2
    tail -n 30 "$LOG_FILE" >&2 || true
    rm -f "$PID_FILE"
    exit 1
  fi
  sleep 1
done

echo "error: MLflow server on $URI did not become healthy within ${HEALTH_TIMEOUT_S}s; last lines of $LOG_FILE:" >&2
tail -n 30 "$LOG_FILE" >&2 || true
exit 1
