#!/usr/bin/env bash
# A three-node RabbitMQ cluster on this machine, from Debian's rabbitmq-server, beside the machine's
# own broker on 5672 (left alone). For the cluster's experiments: run the pipeline on it with
# `scripts/local.sh up --cluster`, then kill a node and watch nothing stop (README, "Break it").
#
#   scripts/cluster.sh up          start the three nodes; the first time, form the cluster
#   scripts/cluster.sh down        stop them; their data stays, and the next "up" brings the same cluster back
#   scripts/cluster.sh status      which nodes run, and the cluster's members as a running node sees them
#   scripts/cluster.sh stop N      stop node N as an operator would (rabbitmqctl stop), as in a rolling restart
#   scripts/cluster.sh kill N      kill -9 node N's Erlang VM (N is 1, 2 or 3)
#   scripts/cluster.sh restart N   start node N again: it rejoins the cluster by itself
#   scripts/cluster.sh wipe        stop the nodes and delete their data
#
# Node N is rmqN@localhost: AMQP on 127.0.0.1:568N, management on 127.0.0.1:1568N, Erlang
# distribution on 2568N, its data and logs in $SIGNUP_CLUSTER_DIR/rmqN (default
# /var/lib/rabbitmq/signup-cluster, owned by the rabbitmq user the nodes run as). Quorum queues
# declared on it get three replicas, one per node. Run as root (the nodes run as user rabbitmq).
set -euo pipefail

BASE=${SIGNUP_CLUSTER_DIR:-/var/lib/rabbitmq/signup-cluster}
SERVER=/usr/lib/rabbitmq/bin/rabbitmq-server
NODES=(1 2 3)

name() { echo "rmq$1@localhost"; }
amqp_port() { echo $((5680 + $1)); }
management_port() { echo $((15680 + $1)); }
dist_port() { echo $((25680 + $1)); }

usage() {
    echo "usage: $0 up|down|status|stop N|kill N|restart N|wipe   (N is 1, 2 or 3)" >&2
    exit 2
}

check_node_number() {
    [[ ${1:-} =~ ^[123]$ ]] || usage
}

# The Erlang VM of node N, found by the node name in its environment (set when it was started here).
pid_of() {
    local pid
    for pid in $(pgrep -x beam.smp); do
        if tr '\0' '\n' 2>/dev/null < "/proc/$pid/environ" | grep -qx "RABBITMQ_NODENAME=$(name "$1")"; then
            echo "$pid"
            return
        fi
    done
}

ctl() { # ctl N ARGS...: rabbitmqctl against node N
    local n=$1
    shift
    rabbitmqctl -q -n "$(name "$n")" "$@"
}

start_node() {
    local n=$1 dir=$BASE/rmq$1
    if [ -n "$(pid_of "$n")" ]; then
        echo "$(name "$n") is already running"
        return
    fi
    install -d -o rabbitmq -g rabbitmq "$BASE" "$dir" "$dir/log" "$dir/mnesia"
    # The machine's /etc/rabbitmq/rabbitmq.conf pins the listener to 5672: each node has a file of its own.
    cat > "$dir/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$(amqp_port "$n")
management.tcp.ip = 127.0.0.1
management.tcp.port = $(management_port "$n")
cluster_name = signup-cluster
# New quorum queues' leaders spread over the nodes, rather than all on the node that declared them.
queue_leader_locator = balanced
EOF
    echo '[rabbitmq_management].' > "$dir/enabled_plugins"
    chown rabbitmq:rabbitmq "$dir/rabbitmq.conf" "$dir/enabled_plugins"
    (cd /var/lib/rabbitmq && runuser -u rabbitmq -- env HOME=/var/lib/rabbitmq \
        RABBITMQ_NODENAME="$(name "$n")" RABBITMQ_DIST_PORT="$(dist_port "$n")" \
        RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
        RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
        "$SERVER" -detached)
    echo "Started $(name "$n"): AMQP 127.0.0.1:$(amqp_port "$n"), management http://127.0.0.1:$(management_port "$n")"
}

# A node just started is not yet known to epmd, and await_startup gives up on such a node at once.
await_node() {
    local n=$1
    for _ in $(seq 1 60); do
        if ctl "$n" ping > /dev/null 2>&1; then
            ctl "$n" await_startup --timeout 120 && return
            break
        fi
        sleep 1
    done
    echo "$(name "$n") did not start: see $BASE/rmq$n/log" >&2
    return 1
}

# RabbitMQ 3.10 can crash a node that boots while its peers are still booting (feature flags
# "incompatible", badmap): once the others run, a second start succeeds.
await_or_start_again() {
    local n=$1
    if ! await_node "$n"; then
        echo "Starting $(name "$n") once more, now that the others run"
        start_node "$n"
        await_node "$n" || exit 1
    fi
}

# Node N's view of the cluster's members: "rmq1@localhost rmq2@localhost ...".
members() {
    ctl "$1" cluster_status --formatter json \
        | python3 -c 'import json, sys; print(" ".join(sorted(json.load(sys.stdin)["disk_nodes"])))'
}

join() {
    local n=$1
    if members "$n" | grep -qw "$(name 1)"; then
        return
    fi
    echo "$(name "$n") joins the cluster of $(name 1)"
    ctl "$n" stop_app
    ctl "$n" join_cluster "$(name 1)"
    ctl "$n" start_app
}

up() {
    for n in "${NODES[@]}"; do
        start_node "$n"
    done
    for n in "${NODES[@]}"; do
        await_or_start_again "$n"
    done
    join 2
    join 3
    echo "Cluster signup-cluster: $(members 1)"
    echo "Addresses: 127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683 (guest/guest from this machine only)"
}

stop_node() {
    local n=$1 pid
    pid=$(pid_of "$n")
    if [ -n "$pid" ]; then
        ctl "$n" stop || true
        # rabbitmqctl stop can return while the VM is still on its way out.
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        echo "Stopped $(name "$n")"
    fi
}

down() {
    # Node 1 last: it is the first "up" starts, and the last node to stop is the one that knows the
    # cluster's latest state.
    for n in 3 2 1; do
        stop_node "$n"
    done
}

status() {
    local running=
    for n in "${NODES[@]}"; do
        local pid
        pid=$(pid_of "$n")
        if [ -n "$pid" ]; then
            echo "$(name "$n"): running (pid $pid), AMQP 127.0.0.1:$(amqp_port "$n")"
            running=${running:-$n}
        else
            echo "$(name "$n"): stopped"
        fi
    done
    if [ -n "$running" ]; then
        echo "Members, as $(name "$running") sees them: $(members "$running")"
    fi
}

kill_node() {
    check_node_number "${1:-}"
    local pid
    pid=$(pid_of "$1")
    if [ -z "$pid" ]; then
        echo "$(name "$1") is not running" >&2
        exit 1
    fi
    kill -9 "$pid"
    echo "Killed $(name "$1") (kill -9 of pid $pid)"
}

restart_node() {
    check_node_number "${1:-}"
    start_node "$1"
    await_or_start_again "$1"
    echo "$(name "$1") is back: $(members "$1")"
}

wipe() {
    down
    rm -rf "$BASE"
    echo "Deleted $BASE"
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    status) status ;;
    stop) check_node_number "${2:-}"; stop_node "$2" ;;
    kill) kill_node "${2:-}" ;;
    restart) restart_node "${2:-}" ;;
    wipe) wipe ;;
    *) usage ;;
esac
