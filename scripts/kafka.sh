#!/usr/bin/env bash
# A throwaway one-node Apache Kafka broker (KRaft) for the tests, from Maven Central's jars.
#   scripts/kafka.sh start   resolves the jars (scripts/kafka/pom.xml, Maven's local repository
#                            ~/.m2 keeps them between runs), formats a fresh log directory under
#                            $TMPDIR, starts the broker, waits for it and prints its address
#   scripts/kafka.sh stop    stops it and removes its files
# Java and Maven are on the machine; nothing comes from anywhere but Maven Central.
set -euo pipefail
cd "$(dirname "$0")/.."
state=$PWD/target/kafka/broker
lib=$PWD/target/kafka/lib
port=${SQUALL_TEST_KAFKA_PORT:-59092}
controller=$((port + 1))

stop() {
    [ -f "$state" ] || return 0
    local dir
    dir=$(cat "$state")
    if [ -f "$dir/pid" ]; then
        kill "$(cat "$dir/pid")" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$(cat "$dir/pid")" 2>/dev/null || true
    fi
    rm -rf "$dir" "$state"
}

case "${1:-}" in
start)
    command -v java >/dev/null || { echo "java is not installed (JDK 17 is expected on the machine)" >&2; exit 1; }
    if [ ! -f "$lib/.resolved" ]; then
        command -v mvn >/dev/null || { echo "mvn is not installed (Maven is expected on the machine)" >&2; exit 1; }
        echo "resolving the Kafka broker's jars from Maven Central (once)" >&2
        rm -rf "$lib"
        mvn -B -q -f scripts/kafka/pom.xml dependency:copy-dependencies \
            -DoutputDirectory="$lib" -DincludeScope=runtime >&2
        touch "$lib/.resolved"
    fi
    stop
    mkdir -p "$(dirname "$state")"
    dir=$(mktemp -d "${TMPDIR:-/tmp}/squall-kafka.XXXXXX")
    echo "$dir" >"$state"
    cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
    java -cp "$lib/*" kafka.tools.StorageTool format -t "$(cat /proc/sys/kernel/random/uuid | tr -d - | head -c 22)" \
        -c "$dir/server.properties" >"$dir/format.log" 2>&1 || { cat "$dir/format.log" >&2; exit 1; }
    nohup java -Xmx512m -cp "$lib/*" kafka.Kafka "$dir/server.properties" >"$dir/server.log" 2>&1 &
    echo $! >"$dir/pid"
    for _ in $(seq 1 1200); do
        # The client listener accepts connections once the broker has started.
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "127.0.0.1:$port"
            exit 0
        fi
        kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
        sleep 0.1
    done
    echo "the Kafka broker did not start:" >&2
    tail -n 40 "$dir/server.log" >&2
    stop
    exit 1
    ;;
stop)
    stop
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
