#!/usr/bin/env bash
# Start a standalone Flink 1.19 session cluster (one JobManager, one TaskManager) on 127.0.0.1
# from Maven Central jars alone. Idempotent: if it already runs and is healthy, prints the master address.
# Prints "127.0.0.1:PORT" on stdout (progress goes to stderr); use it as FlinkRunner's flinkMaster.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

log() { echo "[flink] $*" >&2; }

fail() {
  log "ERROR: $*"
  local f
  for f in "$FLINK_LOG"/jobmanager.log "$FLINK_LOG"/jobmanager.out "$FLINK_LOG"/taskmanager.log "$FLINK_LOG"/taskmanager.out; do
    if [[ -s "$f" ]]; then
      echo "----- tail $f -----" >&2
      tail -n 40 "$f" >&2
    fi
  done
  log "ERROR: $* (logs: $FLINK_LOG; clean up with infra/flink/stop.sh)"
  exit 1
}

# --- already running? --------------------------------------------------------------------------
if flink_pid jobmanager >/dev/null && flink_pid taskmanager >/dev/null && flink_healthy; then
  log "already running (jobmanager pid $(flink_pid jobmanager), taskmanager pid $(flink_pid taskmanager))"
  echo "127.0.0.1:$FLINK_PORT"
  exit 0
fi
if ! flink_pid jobmanager >/dev/null && port_busy "$FLINK_PORT"; then
  fail "port $FLINK_PORT is in use by a process this script did not start (set SHORTRUN_FLINK_PORT)"
fi

command -v curl >/dev/null || fail "curl is required"
mkdir -p "$FLINK_LIB" "$FLINK_CONF" "$FLINK_LOG" "$FLINK_RUN" "$FLINK_TMP" "$FLINK_HOME/plugins"
# the daemons run from the state dir and find conf/plugins there, like a flink-dist install
export FLINK_CONF_DIR="$FLINK_CONF" FLINK_PLUGINS_DIR="$FLINK_HOME/plugins"

# --- jars (once per pom.xml version) ------------------------------------------------------------
POM="$FLINK_SCRIPT_DIR/pom.xml"
# DJL on the TaskManager must be the version the jobs are built with: the root pom's
root_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -n 1; }
DJL_VERSIONS=(-Ddjl.version="$(root_property djl.version)" -Dpytorch.version="$(root_property pytorch.version)")
POM_SUM="$( (cat "$POM"; echo "${DJL_VERSIONS[*]}") | sha256sum | cut -d' ' -f1)"
if [[ "$(cat "$FLINK_LIB/.pom.sha256" 2>/dev/null)" != "$POM_SUM" ]]; then
  log "fetching Flink and DJL jars into $FLINK_LIB"
  rm -f "$FLINK_LIB"/*.jar "$FLINK_LIB/.pom.sha256"
  if ! mvn_out="$(mvn -q -B -Dstyle.color=never -f "$POM" "${DJL_VERSIONS[@]}" dependency:copy-dependencies \
      -DoutputDirectory="$FLINK_LIB" 2>&1)"; then
    echo "$mvn_out" >&2
    fail "mvn dependency:copy-dependencies failed"
  fi
  echo "$POM_SUM" >"$FLINK_LIB/.pom.sha256"
fi
CP="$FLINK_LIB/*"

# --- Java 17 module flags (flink-dist 1.19's default env.java.opts.all) ----------------------------
JAVA_OPENS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

# --- configuration (rewritten each start so env vars take effect) --------------------------------
cat >"$FLINK_CONF/config.yaml" <<YAML
# Written by infra/flink/start.sh; edits are overwritten on the next start.
jobmanager:
  rpc:
    address: 127.0.0.1
    port: $FLINK_RPC_PORT
  bind-host: 127.0.0.1
  memory:
    process:
      size: $FLINK_JM_MEMORY
  execution:
    failover-strategy: region
taskmanager:
  host: 127.0.0.1
  bind-host: 127.0.0.1
  numberOfTaskSlots: $FLINK_SLOTS
  memory:
    process:
      size: $FLINK_TM_MEMORY
    # DJL/PyTorch work runs inside the TaskManager: room for direct buffers and native-side copies
    task:
      off-heap:
        size: 1536m
    # Beam batch (DataSet) sorts/joins spill through managed memory; pipelines are small
    managed:
      size: 512m
    network:
      min: 256m
      max: 256m
rest:
  address: 127.0.0.1
  bind-address: 127.0.0.1
  port: $FLINK_PORT
parallelism:
  default: 1
io:
  tmp:
    dirs: $FLINK_TMP
classloader:
  # DJL (and the native libtorch it binds to its class loader) from lib/, once for all jobs: see pom.xml
  parent-first-patterns:
    additional: ai.djl.
blob:
  server:
    port: "0"
web:
  tmpdir: $FLINK_TMP/web
env:
  java:
    opts:
      all: ${JAVA_OPENS[*]}
YAML

cat >"$FLINK_CONF/log4j.properties" <<'PROPS'
# Written by infra/flink/start.sh
monitorInterval = 30
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.netty.name = org.apache.flink.shaded.netty4.io.netty.channel.nio.NioEventLoop
logger.netty.level = OFF
appender.main.name = MainAppender
appender.main.type = RollingFile
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.filePattern = ${sys:log.file}.%i
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.main.policies.type = Policies
appender.main.policies.size.type = SizeBasedTriggeringPolicy
appender.main.policies.size.size = 100MB
appender.main.policies.startup.type = OnStartupTriggeringPolicy
appender.main.strategy.type = DefaultRolloverStrategy
appender.main.strategy.max = 5
PROPS

# --- memory flags, computed by Flink itself (as bin/config.sh does) ------------------------------
# BashJavaUtils prints BASH_JAVA_UTILS_EXEC_RESULT:<jvm params> then BASH_JAVA_UTILS_EXEC_RESULT:<dynamic configs>
resource_params() {
  local out results
  out="$("$JAVA" -cp "$CP" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$FLINK_CONF" 2>&1)" \
    || fail "BashJavaUtils $1 failed: $out"
  results="$(grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')" || true
  [[ "$(wc -l <<<"$results")" -eq 2 && -n "$results" ]] || fail "unexpected BashJavaUtils $1 output: $out"
  echo "$results"
}

# start_role ROLE MAINCLASS PARAMS_CMD
start_role() {
  local role="$1" main="$2" params jvm dyn
  if flink_pid "$role" >/dev/null; then
    log "$role already running (pid $(flink_pid "$role"))"
    return
  fi
  params="$(resource_params "$3")"
  jvm="$(head -n1 <<<"$params")"
  dyn="$(tail -n1 <<<"$params")"
  log "starting $role: $jvm"
  # shellcheck disable=SC2086  # jvm/dyn are word lists by design (no spaces inside values)
  (cd "$FLINK_HOME" && exec nohup "$JAVA" $jvm "${JAVA_OPENS[@]}" \
    -Dlog.file="$FLINK_LOG/$role.log" \
    -Dlog4j.configuration="file:$FLINK_CONF/log4j.properties" \
    -Dlog4j.configurationFile="file:$FLINK_CONF/log4j.properties" \
    -cp "$CP" "$main" --configDir "$FLINK_CONF" $dyn \
    >"$FLINK_LOG/$role.out" 2>&1 </dev/null) &
  echo $! >"$FLINK_RUN/$role.pid"
}

t0=$SECONDS
# a TaskManager killed hard stays listed until its heartbeat times out: wait for a new one
OLD_TMS="$(flink_pid jobmanager >/dev/null && ! flink_pid taskmanager >/dev/null && flink_tm_ids || true)"
start_role jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS
start_role taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS

# --- wait for REST + a registered TaskManager ------------------------------------------------------
log "waiting for $FLINK_REST/taskmanagers to list a TaskManager with $FLINK_SLOTS slots (timeout ${FLINK_START_TIMEOUT}s)"
until flink_healthy "$OLD_TMS"; do
  flink_pid jobmanager >/dev/null || fail "jobmanager exited"
  flink_pid taskmanager >/dev/null || fail "taskmanager exited"
  (( SECONDS - t0 < FLINK_START_TIMEOUT )) || fail "not healthy after ${FLINK_START_TIMEOUT}s"
  sleep 1
done
log "ready after $(( SECONDS - t0 ))s; logs in $FLINK_LOG"
echo "127.0.0.1:$FLINK_PORT"
