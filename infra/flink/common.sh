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

flink_main_class() {
  case "$1" in
    jobmanager) echo org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint ;;
    taskmanager) echo org.apache.flink.runtime.taskexecutor.TaskManagerRunner ;;
  esac
}

# pid of a role (jobmanager|taskmanager) if its process is alive, else nothing (status 1).
# Alive means: exists, is not a zombie (an orphaned daemon may be reaped late), and still runs
# the role's main class (the pid was not reused).
flink_pid() {
  local f="$FLINK_RUN/$1.pid" pid state
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/stat" ]]; then
    state="$(sed 's/^.*) \([A-Za-z]\).*/\1/' "/proc/$pid/stat" 2>/dev/null)" || return 1
    [[ "$state" != Z && "$state" != X ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$(flink_main_class "$1")" || return 1
  fi
  echo "$pid"
}

# true if something listens on 127.0.0.1:$1
port_busy() {
  ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

# ids of the TaskManagers registered with the REST API that offer the expected slots, one a line
flink_tm_ids() {
  local body
  body="$(curl -fsS --max-time 3 "$FLINK_REST/taskmanagers" 2>/dev/null)" || return 0
  # one object per TaskManager: {"id":"...","path":...,"slotsNumber":N,...}
  grep -o '"id":"[^"]*"[^{]*"slotsNumber":'"$FLINK_SLOTS"'[,}]' <<<"$body" | sed 's/^"id":"\([^"]*\)".*/\1/' || true
}

# true if the REST API lists >= 1 TaskManager offering the expected slots
# (with an argument: one whose id is not among those listed in it, i.e. a freshly started one)
flink_healthy() {
  local ids
  ids="$(flink_tm_ids)"
  [[ -n "$ids" ]] || return 1
  [[ -z "${1:-}" ]] && return 0
  grep -qvxF -f <(printf '%s\n' "$1") <<<"$ids"
}
