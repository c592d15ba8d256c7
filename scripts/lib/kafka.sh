#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# A real Apache Kafka 4.x broker for the integration tests: one node in
# KRaft mode (broker and controller in one JVM) on 127.0.0.1:9092, run from
# the Maven Central jars that scripts/kafka/pom.xml names. Everything lives
# in the repo-local, git-ignored .kafka/ (libs/, data/, server.properties,
# broker.log, broker.pid); each fresh start formats an empty data dir, so
# no topic or offset survives a restart.
#   kafka_libs_ensure  copy the broker's jars into .kafka/libs (once)
#   kafka_up           start the broker (or reuse ours if it already runs)
#                      and wait until it answers metadata requests
#   kafka_down         stop the broker started from this checkout
#   kafka_running      whether our broker process is alive
#   kafka_export       export KAFKA_BROKERS
# Sourced by scripts/test; `bash scripts/lib/kafka.sh start|stop|status`
# runs it. Needs java 17+, mvn and kcat (build-deps.sh).

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

KAFKA_DIR="$CARVROOOM_ROOT/.kafka"
KAFKA_LIBS="$KAFKA_DIR/libs"
KAFKA_PID_FILE="$KAFKA_DIR/broker.pid"
KAFKA_LOG="$KAFKA_DIR/broker.log"
KAFKA_PROPERTIES="$KAFKA_DIR/server.properties"
KAFKA_POM="$CARVROOOM_ROOT/scripts/kafka/pom.xml"
KAFKA_HOST=127.0.0.1
KAFKA_PORT="${CARVROOOM_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${CARVROOOM_KAFKA_CONTROLLER_PORT:-9093}"
# The broker's JVM. It shares two cores with the pipeline, Postgres and the
# load generator, and each start is a fresh JVM: with the default tiered JIT,
# C2 compilation took a third of the broker's CPU in its first minutes and a
# young broker's end-to-end p99 was 0.9-1.8 s (the same benchmark on a broker
# up for half an hour: 0.1-0.3 s). With C1 only, a fresh broker spent 23-24 s
# of CPU in that benchmark section against 30-32 s, was less often slow, and
# was no slower at saturation.
KAFKA_JVM_OPTS=(-Xms256m -Xmx1g -XX:+UseG1GC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true)

# kafka_libs_ensure: resolve the jars with Maven into .kafka/libs, unless
# the copy there was made from the same pom.xml.
kafka_libs_ensure() {
    local stamp want t0 log
    stamp="$KAFKA_LIBS/.pom.sha256"
    want="$(sha256sum "$KAFKA_POM" | cut -d' ' -f1)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        return 0
    fi
    t0="$(date +%s%N)"
    mkdir -p "$KAFKA_DIR"
    log="$KAFKA_DIR/mvn.log"
    rm -rf "$KAFKA_LIBS"
    run_quiet "$log" mvn -B -q -f "$KAFKA_POM" dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS" ||
        die "could not fetch the Kafka broker jars with Maven"
    echo "$want" >"$stamp"
    step "kafka: fetched $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) broker jars into .kafka/libs ($(elapsed "$t0"))"
}

# kafka_pid: the pid in .kafka/broker.pid, when it is our live broker.
kafka_pid() {
    local pid
    [[ -f "$KAFKA_PID_FILE" ]] || return 1
    pid="$(cat "$KAFKA_PID_FILE")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF "kafka.Kafka $KAFKA_PROPERTIES" || return 1
    echo "$pid"
}

# kafka_running: whether the broker started from this checkout is alive.
kafka_running() {
    kafka_pid >/dev/null
}

# kafka_metadata_ok: whether the broker answers a metadata request.
kafka_metadata_ok() {
    kcat -b "$KAFKA_HOST:$KAFKA_PORT" -L -m 2 2>/dev/null | grep -q "broker 1 at"
}

# kafka_write_properties: the single-node KRaft configuration.
kafka_write_properties() {
    cat >"$KAFKA_PROPERTIES" <<EOF
# Written by scripts/lib/kafka.sh at each start; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=4
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
}

# kafka_random_cluster_id: a random cluster id as Kafka writes one (16 random
# bytes, URL-safe base64 without padding, not starting with '-').
kafka_random_cluster_id() {
    local id=-
    while [[ "$id" == -* ]]; do
        id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    done
    echo "$id"
}

# kafka_up: start the broker on an empty, freshly formatted data dir and
# wait until it answers metadata; reuse it when ours already runs.
kafka_up() {
    local t0 log pid cluster_id
    kafka_libs_ensure
    if kafka_running; then
        wait_until 60 "Kafka metadata on $KAFKA_HOST:$KAFKA_PORT" kafka_metadata_ok ||
            die "the running broker (pid $(kafka_pid)) does not answer; stop it with: bash scripts/lib/kafka.sh stop"
        step "kafka: broker already running at $KAFKA_HOST:$KAFKA_PORT (pid $(kafka_pid))"
        return 0
    fi
    if port_open "$KAFKA_HOST" "$KAFKA_PORT" || port_open "$KAFKA_HOST" "$KAFKA_CONTROLLER_PORT"; then
        die "port $KAFKA_PORT or $KAFKA_CONTROLLER_PORT on $KAFKA_HOST is taken by another process; stop it, or use an outside broker with KAFKA_BROKERS=host:port"
    fi
    t0="$(date +%s%N)"
    rm -rf "$KAFKA_DIR/data"
    mkdir -p "$KAFKA_DIR/data"
    kafka_write_properties
    log="$KAFKA_DIR/format.log"
    cluster_id="$(kafka_random_cluster_id)"
    run_quiet "$log" java -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool format \
        --standalone -t "$cluster_id" -c "$KAFKA_PROPERTIES" ||
        die "could not format the Kafka data dir"
    java "${KAFKA_JVM_OPTS[@]}" \
        -Dorg.slf4j.simpleLogger.showDateTime=true \
        -Dorg.slf4j.simpleLogger.dateTimeFormat="yyyy-MM-dd'T'HH:mm:ss.SSS" \
        -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_PROPERTIES" \
        >"$KAFKA_LOG" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$KAFKA_PID_FILE"
    local deadline=$((SECONDS + 90))
    until kafka_metadata_ok; do
        if ! pid_alive "$pid"; then
            printf 'error: the Kafka broker exited during start-up; last lines of %s:\n' "$KAFKA_LOG" >&2
            tail -n 40 "$KAFKA_LOG" >&2
            rm -f "$KAFKA_PID_FILE"
            exit 1
        fi
        if ((SECONDS >= deadline)); then
            printf 'error: the Kafka broker did not answer within 90s; last lines of %s:\n' "$KAFKA_LOG" >&2
            tail -n 40 "$KAFKA_LOG" >&2
            kafka_down
            exit 1
        fi
        sleep 0.25
    done
    step "kafka: Apache Kafka $(kafka_version) (KRaft) up at $KAFKA_HOST:$KAFKA_PORT, pid $pid ($(elapsed "$t0"))"
}

# kafka_version: the broker version, from the kafka_2.13 jar's name.
kafka_version() {
    local jar
    jar="$(find "$KAFKA_LIBS" -name 'kafka_2.13-*.jar' -printf '%f\n' | head -n 1)"
    jar="${jar#kafka_2.13-}"
    echo "${jar%.jar}"
}

# kafka_down: stop our broker (SIGTERM, then SIGKILL after 30 s).
kafka_down() {
    local pid t0
    if ! pid="$(kafka_pid)"; then
        rm -f "$KAFKA_PID_FILE"
        return 0
    fi
    t0="$(date +%s%N)"
    kill "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 30))
    while pid_alive "$pid"; do
        if ((SECONDS >= deadline)); then
            kill -9 "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.25
    done
    rm -f "$KAFKA_PID_FILE"
    step "kafka: broker stopped (pid $pid, $(elapsed "$t0"))"
}

# kafka_export: export KAFKA_BROKERS for the broker.
kafka_export() {
    export KAFKA_BROKERS="$KAFKA_HOST:$KAFKA_PORT"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    case "${1:-}" in
        start) kafka_up && kafka_export && echo "KAFKA_BROKERS=$KAFKA_BROKERS" ;;
        stop) kafka_down ;;
        status)
            if kafka_running; then
                echo "running (pid $(kafka_pid)) at $KAFKA_HOST:$KAFKA_PORT"
            else
                echo "not running"
                exit 1
            fi
            ;;
        *) die "usage: $0 start|stop|status" ;;
    esac
fi
