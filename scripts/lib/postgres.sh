#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The PostgreSQL server the integration tests use: Debian's cluster
# (`<version> main`), created when missing and started when down, with a
# superuser role `carvrooom` (password `carvrooom`; superuser so tests can
# create throw-away databases) and a database `carvrooom`.
#   postgres_up      ensure the cluster runs, is ready, and has the role and db
#   postgres_export  export DATABASE_URL for it
# Sourced by scripts/test; `bash scripts/lib/postgres.sh [start|url]` runs it.
# Needs the postgresql package (test_deps_ensure in build-deps.sh).

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CARVROOOM_PG_USER=carvrooom
CARVROOOM_PG_PASSWORD=carvrooom
CARVROOOM_PG_DB=carvrooom
CARVROOOM_PG_CLUSTER="${CARVROOOM_PG_CLUSTER:-main}"

# pg_version: the newest PostgreSQL major version installed from Debian.
pg_version() {
    local v
    v="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -n | tail -n 1)"
    [[ -n "$v" ]] || die "no PostgreSQL server found under /usr/lib/postgresql (apt-get install postgresql)"
    echo "$v"
}

# pg_cluster_field FIELD: one column of `pg_lsclusters` for our cluster
# (2 = port, 3 = status), empty when the cluster does not exist.
pg_cluster_field() {
    pg_lsclusters -h 2>/dev/null |
        awk -v v="$(pg_version)" -v c="$CARVROOOM_PG_CLUSTER" -v f="$1" '$1 == v && $2 == c { print $(f + 1) }'
}

# pg_port: the port our cluster listens on.
pg_port() {
    local port
    port="$(pg_cluster_field 2)"
    echo "${port:-5432}"
}

# pg_psql SQL: run SQL as the postgres superuser over the local socket.
pg_psql() {
    local cmd=(psql -X -q -v ON_ERROR_STOP=1 -p "$(pg_port)" -d postgres -tA -c "$1")
    if ((EUID == 0)); then
        runuser -u postgres -- "${cmd[@]}"
    else
        sudo -n -u postgres "${cmd[@]}"
    fi
}

# postgres_up: create the cluster if missing, start it if down, wait until it
# accepts connections, then create or update the role and the database.
postgres_up() {
    local t0 v log
    t0="$(date +%s%N)"
    v="$(pg_version)"
    log="$(mktemp)"
    if [[ -z "$(pg_cluster_field 3)" ]]; then
        run_quiet "$log" as_root pg_createcluster "$v" "$CARVROOOM_PG_CLUSTER" ||
            die "could not create PostgreSQL cluster $v/$CARVROOOM_PG_CLUSTER"
    fi
    if [[ "$(pg_cluster_field 3)" != "online" ]]; then
        # A cluster that was killed syncs its data directory and replays its
        # log before it accepts connections. syncfs makes that one call per
        # file system instead of an fsync per file, and recovery gets up to
        # 10 minutes instead of pg_ctl's default 60 s. A start right after a
        # kill can find the old backends still exiting, so it is tried twice.
        local start=(as_root pg_ctlcluster "$v" "$CARVROOOM_PG_CLUSTER" start --
            -t 600 -o "-c recovery_init_sync_method=syncfs")
        run_quiet "$log" "${start[@]}" || { sleep 5 && run_quiet "$log" "${start[@]}"; } ||
            die "could not start PostgreSQL cluster $v/$CARVROOOM_PG_CLUSTER"
    fi
    wait_until 60 "PostgreSQL on 127.0.0.1:$(pg_port)" \
        pg_isready -q -h 127.0.0.1 -p "$(pg_port)" -t 1 || die "PostgreSQL did not become ready"
    local role_sql db_exists
    role_sql="DO \$\$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$CARVROOOM_PG_USER') THEN
            CREATE ROLE $CARVROOOM_PG_USER LOGIN SUPERUSER PASSWORD '$CARVROOOM_PG_PASSWORD';
        ELSE
            ALTER ROLE $CARVROOOM_PG_USER LOGIN SUPERUSER PASSWORD '$CARVROOOM_PG_PASSWORD';
        END IF;
    END \$\$;"
    run_quiet "$log" pg_psql "$role_sql" || die "could not create role $CARVROOOM_PG_USER"
    db_exists="$(pg_psql "SELECT 1 FROM pg_database WHERE datname = '$CARVROOOM_PG_DB'")" ||
        die "could not query databases"
    if [[ "$db_exists" != "1" ]]; then
        run_quiet "$log" pg_psql "CREATE DATABASE $CARVROOOM_PG_DB OWNER $CARVROOOM_PG_USER" ||
            die "could not create database $CARVROOOM_PG_DB"
    fi
    postgres_drop_throwaways "$log"
    postgres_export
    run_quiet "$log" psql -X -q -tA -c 'SELECT 1' "$DATABASE_URL" ||
        die "cannot log in as $CARVROOOM_PG_USER over TCP"
    rm -f "$log"
    step "postgres: PostgreSQL $v ready at 127.0.0.1:$(pg_port)/$CARVROOOM_PG_DB ($(elapsed "$t0"))"
}

# postgres_drop_throwaways LOG: drop the databases earlier test and bench
# runs created (`carvrooom_test_*`, `carvrooom_bench_*`), so they never pile
# up in the data directory and slow the next crash recovery.
postgres_drop_throwaways() {
    local name
    for name in $(pg_psql "SELECT datname FROM pg_database
                           WHERE datname LIKE 'carvrooom\_test\_%' OR datname LIKE 'carvrooom\_bench\_%'"); do
        run_quiet "$1" pg_psql "DROP DATABASE \"$name\" WITH (FORCE)" || die "could not drop database $name"
    done
}

# postgres_export: export DATABASE_URL for the carvrooom database.
postgres_export() {
    local port
    port="$(pg_port)"
    export DATABASE_URL="postgres://$CARVROOOM_PG_USER:$CARVROOOM_PG_PASSWORD@127.0.0.1:$port/$CARVROOOM_PG_DB"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    case "${1:-start}" in
        start) postgres_up && echo "DATABASE_URL=$DATABASE_URL" ;;
        url) postgres_export && echo "$DATABASE_URL" ;;
        *) die "usage: $0 [start|url]" ;;
    esac
fi
