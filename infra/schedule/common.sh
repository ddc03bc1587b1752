#!/usr/bin/env bash
# Shared by install.sh, remove.sh, list.sh: the checkout, the marker that names a schedule, the user's crontab and
# the cron daemon. Sourced, not run.

SCHEDULE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCHEDULE_DIR/../.." && pwd -P)"
MARKER_TAG="# shortrun-schedule"

die() {
  echo "${0##*/}: $*" >&2
  exit 2
}

# The sweep file as an absolute path, symlinks resolved (it need not exist: remove.sh of a deleted spec).
sweep_path() {
  realpath -m -- "$1"
}

# The stem that names a sweep's default state folder: sweeps/ci-smoke.yaml -> ci-smoke.
sweep_stem() {
  local base="${1##*/}"
  base="${base%.yaml}"
  echo "${base%.yml}"
}

# The comment that ends a schedule's crontab line: the checkout and the sweep file. One entry per (checkout, sweep).
marker() {
  echo "$MARKER_TAG checkout=$ROOT sweep=$1"
}

# Quotes one word for /bin/sh inside a crontab line: single quotes, and % escaped (cron turns a bare % into a
# newline).
cron_quote() {
  local s="${1//\'/\'\\\'\'}"
  s="'$s'"
  echo "${s//%/\\%}"
}

# The user's crontab (empty when there is none).
crontab_read() {
  crontab -l 2>/dev/null || true
}

# Lines of the crontab, less those that end with the exact marker $1.
crontab_without() {
  local mark="$1"
  crontab_read | awk -v m="$mark" '{ n = length($0); k = length(m); if (n >= k && substr($0, n - k + 1) == m) next; print }'
}

# Serialises crontab edits of concurrent install/remove calls (read, edit, write back).
crontab_lock() {
  exec 8>"${TMPDIR:-/tmp}/shortrun-schedule-crontab.$(id -u).lock"
  flock -w 60 8 || die "another install/remove keeps the crontab lock"
}

# A live cron daemon (its pid file, or a process named cron), zombies not counted.
cron_running() {
  local pid state
  for pid in $(cat /var/run/crond.pid 2>/dev/null) $(pgrep -x cron 2>/dev/null); do
    state="$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)"
    [ -n "$state" ] && [ "$state" != Z ] && return 0
  done
  return 1
}

# Installs Debian's cron when crontab or the daemon is missing, and starts the daemon when it is not running
# (service, or cron itself where there is no init system, as in a container). Fails with the reason otherwise.
ensure_cron() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! command -v crontab >/dev/null || { ! command -v cron >/dev/null && [ ! -x /usr/sbin/cron ]; }; then
    command -v apt-get >/dev/null || die "cron is not installed and there is no apt-get to install it (Debian cron)"
    echo "${0##*/}: installing cron (Debian) ..." >&2
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq cron >/dev/null; } \
      || die "could not install cron with apt-get"
  fi
  cron_running && return 0
  echo "${0##*/}: starting the cron daemon ..." >&2
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
    $sudo systemctl start cron >/dev/null 2>&1 || true
  fi
  cron_running || { command -v service >/dev/null && $sudo service cron start >/dev/null 2>&1; } || true
  cron_running || $sudo "$(command -v cron || echo /usr/sbin/cron)" >/dev/null 2>&1 || true

  for _ in 1 2 3 4 5 6 7 8 9 10; do
    cron_running && return 0
    sleep 0.5
  done
  die "the cron daemon is not running and could not be started (tried systemctl, service cron start, cron)"
}
