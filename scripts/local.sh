#!/usr/bin/env bash
# Runs the whole system as local processes, without Docker, against the PostgreSQL and RabbitMQ
# already running on this machine.
#
#   scripts/local.sh up       build (if needed) and start every service, wait until healthy
#   scripts/local.sh down     stop them
#   scripts/local.sh status   which are running, and their health
#   scripts/local.sh logs     follow every service's log
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java.sh

SERVICES=(signup-api:8080 email-worker:8081 fraud-worker:8082 billing-worker:8083 notify-worker:8084)
STATE=.local
PG_HOST=${PG_HOST:-127.0.0.1}
PG_USER=${PG_USER:-postgres}
DATABASE=${SIGNUP_DATABASE:-signup}

require_services() {
    if ! pg_isready -q -h "$PG_HOST" -p 5432; then
        echo "PostgreSQL is not answering on $PG_HOST:5432. Start it, e.g.:" >&2
        echo "  pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2
        exit 1
    fi
    if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
        echo "RabbitMQ is not answering on 127.0.0.1:5672. Start it, e.g.: rabbitmq-server -detached" >&2
        exit 1
    fi
    if ! psql -h "$PG_HOST" -U "$PG_USER" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
        echo "Creating database $DATABASE"
        psql -h "$PG_HOST" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $DATABASE"
    fi
}

jar_of() {
    ls "$1"/target/"$1"-*.jar 2>/dev/null | grep -v -e sources -e tests -e original | head -1
}

build_if_needed() {
    for entry in "${SERVICES[@]}"; do
        if [ -z "$(jar_of "${entry%%:*}")" ]; then
            echo "Building the services (./mvnw package -DskipTests) ..."
            ./mvnw -q -B package -DskipTests
            return
        fi
    done
}

running() {
    [ -f "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null
}

healthy() {
    curl -fsS "http://127.0.0.1:$1/actuator/health" 2>/dev/null | grep -q '"status":"UP"'
}

up() {
    require_services
    build_if_needed
    mkdir -p "$STATE"
    for entry in "${SERVICES[@]}"; do
        name=${entry%%:*}
        if running "$name"; then
            echo "$name is already running (pid $(cat "$STATE/$name.pid"))"
            continue
        fi
        nohup java -jar "$(jar_of "$name")" > "$STATE/$name.log" 2>&1 &
        echo $! > "$STATE/$name.pid"
        echo "Started $name (pid $!), log in $STATE/$name.log"
    done
    for entry in "${SERVICES[@]}"; do
        name=${entry%%:*}
        port=${entry##*:}
        for _ in $(seq 1 90); do
            healthy "$port" && break
            running "$name" || { echo "$name exited; see $STATE/$name.log" >&2; exit 1; }
            sleep 1
        done
        healthy "$port" || { echo "$name is not healthy after 90 s; see $STATE/$name.log" >&2; exit 1; }
        echo "$name is up on http://127.0.0.1:$port"
    done
    echo
    echo "Sign up:  curl -i -X POST http://127.0.0.1:8080/api/signups -H 'Content-Type: application/json' -d '{\"email\":\"ada@example.com\",\"name\":\"Ada Lovelace\"}'"
    echo "Watch:    scripts/local.sh logs"
}

down() {
    for entry in "${SERVICES[@]}"; do
        name=${entry%%:*}
        if running "$name"; then
            kill "$(cat "$STATE/$name.pid")"
            echo "Stopping $name"
        fi
    done
    for entry in "${SERVICES[@]}"; do
        name=${entry%%:*}
        for _ in $(seq 1 30); do running "$name" || break; sleep 1; done
        rm -f "$STATE/$name.pid"
    done
}

status() {
    for entry in "${SERVICES[@]}"; do
        name=${entry%%:*}
        port=${entry##*:}
        if running "$name"; then
            healthy "$port" && state="UP" || state="starting or unhealthy"
            echo "$name: running (pid $(cat "$STATE/$name.pid")), $state on :$port"
        else
            echo "$name: stopped"
        fi
    done
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    status) status ;;
    logs) tail -F "$STATE"/*.log ;;
    *) echo "usage: $0 up|down|status|logs" >&2; exit 2 ;;
esac
