# shellcheck shell=bash source-path=SCRIPTDIR
# Shared helpers for scripts/*: the repository root, one-line progress
# output, failing with a message, quiet command runs that show their log
# only on failure, and Debian packages installed only when missing.
# Sourced, never run; every other scripts/lib/*.sh sources it.

set -euo pipefail

if [[ -z "${CARVROOOM_COMMON_LOADED:-}" ]]; then
CARVROOOM_COMMON_LOADED=1

# Absolute path of the repository root (scripts/lib/../..).
# shellcheck disable=SC2034 # used by the scripts that source this file
CARVROOOM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# step MESSAGE: print one progress line.
step() {
    printf '==> %s\n' "$*"
}

# die MESSAGE: print an error to stderr and exit 1.
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# elapsed SINCE_EPOCH_NS: seconds since a `date +%s%N` stamp, one decimal.
elapsed() {
    local now
    now="$(date +%s%N)"
    awk -v a="$1" -v b="$now" 'BEGIN { printf "%.1fs", (b - a) / 1e9 }'
}

# run_quiet LOG CMD...: run CMD with its output in LOG; on failure print
# the end of LOG to stderr and return CMD's exit status.
run_quiet() {
    local log="$1"
    shift
    local rc=0
    "$@" >"$log" 2>&1 </dev/null || rc=$?
    if ((rc != 0)); then
        printf "error: '%s' failed (exit %d); last lines of %s:\n" "$*" "$rc" "$log" >&2
        tail -n 40 "$log" >&2
    fi
    return "$rc"
}

# as_root CMD...: run CMD as root (directly, or through sudo).
as_root() {
    if ((EUID == 0)); then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

# apt_ensure PKG...: install the Debian packages that are not installed yet;
# runs `apt-get update` at most once per process and nothing at all when
# every package is there.
apt_ensure() {
    local missing=() pkg
    for pkg in "$@"; do
        if [[ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)" != "installed" ]]; then
            missing+=("$pkg")
        fi
    done
    ((${#missing[@]} == 0)) && return 0
    local log t0
    log="$(mktemp)"
    t0="$(date +%s%N)"
    if [[ -z "${CARVROOOM_APT_UPDATED:-}" ]]; then
        run_quiet "$log" as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
            die "apt-get update failed"
        CARVROOOM_APT_UPDATED=1
    fi
    run_quiet "$log" as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}" ||
        die "apt-get install ${missing[*]} failed"
    rm -f "$log"
    step "apt: installed ${missing[*]} ($(elapsed "$t0"))"
}

# wait_until TIMEOUT_SECONDS DESCRIPTION CMD...: retry CMD every 0.25 s until
# it succeeds; fail with DESCRIPTION after TIMEOUT_SECONDS.
wait_until() {
    local timeout="$1" what="$2"
    shift 2
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            printf 'error: timed out after %ss waiting for %s\n' "$timeout" "$what" >&2
            return 1
        fi
        sleep 0.25
    done
}

# pid_alive PID: whether the process runs (a zombie counts as gone).
pid_alive() {
    local state
    state="$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" || return 1
    [[ -n "$state" && "$state" != "Z" ]]
}

# port_open HOST PORT: whether something accepts TCP connections there.
port_open() {
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

fi
