# Shared settings for infra/flink/{start,stop,status}.sh. Sourced, not run.
# shellcheck shell=bash

FLINK_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$FLINK_SCRIPT_DIR/../.." && pwd)"

FLINK_HOME="${SHORTRUN_FLINK_HOME:-$ROOT/.flink}"
FLINK_PORT="${SHORTRUN_FLINK_PORT:-8081}"
FLINK_RPC_PORT="${SHORTRUN_FLINK_RPC_PORT:-6123}"
FLINK_SLOTS="${SHORTRUN_FLINK_SLOTS:-2}"
FLINK_JM_MEMORY="${SHORTRUN_FLINK_JM_MEMORY:-1024m}"
FLINK_TM_MEMORY="${SHORTRUN_FLINK_TM_MEMORY:-6144m}"
FLINK_START_TIMEOUT="${SHORTRUN_FLINK_START_TIMEOUT:-120}"

FLINK_LIB="$FLINK_HOME/lib"
FLINK_CONF="$FLINK_HOME/conf"
FLINK_LOG="$FLINK_HOME/log"
FLINK_RUN="$FLINK_HOME/run"
FLINK_TMP="$FLINK_HOME/tmp"
FLINK_REST="http://127.0.0.1:$FLINK_PORT"

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA="java"
fi

# pid of a role (jobmanager|taskmanager) if its process is alive, else nothing
flink_pid() {
  local f="$FLINK_RUN/$1.pid" pid
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# true if something listens on 127.0.0.1:$1
port_busy() {
  ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

# true if the REST API lists >= 1 TaskManager offering the expected slots
flink_healthy() {
  local body
  body="$(curl -fsS --max-time 3 "$FLINK_REST/taskmanagers" 2>/dev/null)" || return 1
  grep -q "\"slotsNumber\":$FLINK_SLOTS[,}]" <<<"$body"
}
