#!/usr/bin/env bash
# Runs the whole system as local processes, without Docker, against the PostgreSQL and RabbitMQ
# already running on this machine, with WireMock standing in for the fraud API, Stripe and Slack
# and GreenMail for the SMTP server.
#
#   scripts/local.sh up       build if the jars are missing or older than the sources, start what is
#                             not running, wait until healthy
#   scripts/local.sh up --cluster
#                             the same against the three-node cluster of scripts/cluster.sh (its
#                             nodes on 5681-5683) instead of the machine's broker on 5672
#   scripts/local.sh down     stop everything it started
#   scripts/local.sh status   what runs, and its health
#   scripts/local.sh logs     follow the four workers' logs, each line prefixed with its service
#   scripts/local.sh replay WORKER [LIMIT]
#                             move WORKER's parked messages (its dead-letter queue) back to its queue
#   scripts/local.sh reset    stop everything, then drop the database and the vhost (all signups,
#                             queues and parked messages) so that the next "up" starts afresh
#
# MOCK_LATENCY=lesson (default) gives the mocks the lesson's downstream latencies
# (fraud 200-500 ms, Stripe 150-400 ms, Slack 100-300 ms); MOCK_LATENCY=fast gives none.
# WORKER_NICENESS (default 10) is the nice value of the workers and of their sessions: they yield
# the CPU to the API's requests. The mocks run at the normal priority, each in a session of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java.sh

STATE=.local
SECRETS=$STATE/secrets.env
RUN=$STATE/run
LOGS=$STATE/logs
LIB=$STATE/lib
PG_HOST=${PG_HOST:-127.0.0.1}
PG_USER=${PG_USER:-postgres}
DATABASE=${SIGNUP_DATABASE:-signup}
VHOST=${RABBITMQ_VHOST:-signup}
MOCK_LATENCY=${MOCK_LATENCY:-lesson}
WORKER_NICENESS=${WORKER_NICENESS:-10}
WIREMOCK_VERSION=3.13.2
GREENMAIL_VERSION=2.1.13

# The workers run at a lower CPU priority (scripts/lower-priority.sh), which execs the service, so the
# pid file still names it. The mocks stand in for systems on other machines: each gets a session of its
# own, out of the API's, at the normal priority. In the API's session, GreenMail took as much CPU as the
# API under load; niced like the workers, the mocks answered them too late in a burst, and the workers'
# breakers opened on downstreams that were only starved of CPU (docs/benchmarks.md).
LOWER_PRIORITY=(scripts/lower-priority.sh "$WORKER_NICENESS")
OWN_SESSION=(scripts/lower-priority.sh 0)

# name:port of each service, in start order; the port answers /actuator/health (mocks: see below).
# The workers come from the roster, scripts/workers.roster ("service step port").
SERVICES=(signup-api:8080)
WORKERS=()
while read -r service _ port; do
    SERVICES+=("$service:$port")
    WORKERS+=("$service")
done < <(grep -Ev '^[[:space:]]*(#|$)' scripts/workers.roster)
variable_prefix() { # variable_prefix email-worker: EMAIL_WORKER
    local name=${1^^}
    printf '%s' "${name//-/_}"
}

export RABBITMQ_VHOST=$VHOST
# The broker: the machine's own, or with "up --cluster" the three nodes of scripts/cluster.sh, over
# which every service spreads its connections (spring.rabbitmq.address-shuffle-mode: random).
AMQP_PORT=5672
export RABBITMQ_MANAGEMENT_URL=http://127.0.0.1:15672
use_cluster() {
    AMQP_PORT=5681
    export RABBITMQ_MANAGEMENT_URL=http://127.0.0.1:15681
    export SPRING_RABBITMQ_ADDRESSES=127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683
}
export SIGNUP_API_DB_URL="jdbc:postgresql://$PG_HOST:5432/$DATABASE"
for worker in "${WORKERS[@]}"; do
    export "$(variable_prefix "$worker")_DB_URL=$SIGNUP_API_DB_URL"
done

require_services() {
    if ! command -v pg_isready > /dev/null || ! command -v psql > /dev/null; then
        echo "The PostgreSQL client tools are missing: apt-get install postgresql-client" >&2
        exit 1
    fi
    if ! pg_isready -q -h "$PG_HOST" -p 5432; then
        echo "PostgreSQL is not answering on $PG_HOST:5432. Install it (apt-get install postgresql)" >&2
        echo "or start it: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2
        exit 1
    fi
    if ! (exec 3<>/dev/tcp/127.0.0.1/$AMQP_PORT) 2>/dev/null; then
        echo "RabbitMQ is not answering on 127.0.0.1:$AMQP_PORT. Install it (apt-get install rabbitmq-server)" >&2
        if [ "$AMQP_PORT" = 5672 ]; then
            echo "or start it: rabbitmq-server -detached" >&2
        else
            echo "and start the cluster: scripts/cluster.sh up" >&2
        fi
        exit 1
    fi
    if ! curl -fsS -o /dev/null "$RABBITMQ_MANAGEMENT_URL/api/overview" -u "${RABBITMQ_ADMIN_USER:-guest}:${RABBITMQ_ADMIN_PASSWORD:-guest}" 2>/dev/null; then
        command -v rabbitmq-plugins > /dev/null || { echo "Enable RabbitMQ's management plugin" >&2; exit 1; }
        echo "Enabling RabbitMQ's management plugin: the users are made through it, and GET /api/pipeline reads it"
        rabbitmq-plugins -q enable rabbitmq_management
        for _ in $(seq 1 60); do curl -fsS -o /dev/null -u guest:guest http://127.0.0.1:15672/api/overview 2>/dev/null && break; sleep 1; done
    fi
    provision
}

# Each service logs in as itself: its own RabbitMQ user and PostgreSQL role (scripts/provision.sh),
# with passwords made up on first use and kept in .local/secrets.env (not committed).
provision() {
    mkdir -p "$STATE"
    if [ ! -f "$SECRETS" ]; then
        umask 077
        {
            for service in signup-api "${WORKERS[@]}"; do
                service=$(variable_prefix "$service")
                echo "${service}_RABBITMQ_PASSWORD=$(secret)"
                echo "${service}_DB_PASSWORD=$(secret)"
            done
            echo "WORKER_ADMIN_PASSWORD=$(secret)"
        } > "$SECRETS"
        echo "Made up local passwords in $SECRETS"
    fi
    # Only provisioning sees every password; each service gets its own (service_env).
    (
        set -a
        source "$SECRETS"
        DATABASE=$DATABASE VHOST=$VHOST PG_HOST=$PG_HOST PG_ADMIN_USER=$PG_USER REVOKE_ADMIN_PERMISSIONS=1
        RABBITMQ_MANAGEMENT_URL=$RABBITMQ_MANAGEMENT_URL
        exec scripts/provision.sh
    )
}

# The logins of one service, named after this pipeline as scripts/provision.sh names them, with its
# passwords from $SECRETS and nobody else's: exported into that service's environment alone.
service_env() {
    local service=$1 prefix
    prefix=$(variable_prefix "$service")
    echo "${prefix}_RABBITMQ_USER=$VHOST.$service"
    echo "${prefix}_DB_USER=${DATABASE}_${service//-/_}"
    grep -E "^${prefix}_(RABBITMQ|DB)_PASSWORD=" "$SECRETS"
    [ "$service" = signup-api ] || grep -E '^WORKER_ADMIN_PASSWORD=' "$SECRETS"
}

start_service() {
    local name=$1
    shift
    (
        while IFS= read -r assignment; do
            export "${assignment?}"
        done < <(service_env "$name")
        start "$name" "$@"
    )
}

secret() {
    head -c 18 /dev/urandom | base64 | tr -d '/+='
}

jar_of() {
    ls "$1"/target/"$1"-*.jar 2>/dev/null | grep -v -e sources -e tests -e original | head -1
}

# The jar to run: the service extracted to a plain class path, as the Dockerfile runs it, in a copy of
# this stack's own (.local/services/<service>/), extracted again when the executable jar is newer.
# Not the executable jar itself: under load its nested-jar class loader can deadlock with virtual
# threads (spring-boot#51463). Not target/ either: a build or a test run in this checkout rebuilds it,
# and must not change the classes under a service of the stack that is running. Called only for a
# service that is not running.
runnable_jar_of() {
    local jar copy extracted
    jar=$(jar_of "$1")
    copy="$STATE/services/$1"
    extracted="$copy/$(basename "$jar")"
    if [ ! -f "$extracted" ] || [ "$jar" -nt "$extracted" ]; then
        rm -rf "$copy"
        java -Djarmode=tools -jar "$jar" extract --destination "$copy" > /dev/null
        touch "$extracted"
    fi
    printf '%s' "$extracted"
}

# The file the service jars were built from that is newer than the oldest of them, if any: a pom or a
# main source of a service or of the two libraries they all use. Prints "missing" when a jar is.
newer_than_jars() {
    local oldest="" jar entry
    local modules=(signup-events reliable-messaging)
    for entry in "${SERVICES[@]}"; do
        jar=$(jar_of "${entry%%:*}")
        if [ -z "$jar" ]; then
            printf 'missing'
            return
        fi
        if [ -z "$oldest" ] || [ "$jar" -ot "$oldest" ]; then
            oldest=$jar
        fi
        modules+=("${entry%%:*}")
    done
    find pom.xml "${modules[@]}" -name target -prune -o -type f \( -name pom.xml -o -path '*/src/main/*' \) \
        -newer "$oldest" -print -quit
}

# Builds the jars when one is missing or older than what it is built from (an edit, a pull): "up" must
# never start yesterday's code. A service already running keeps the code it started with.
build_if_needed() {
    local newer
    newer=$(newer_than_jars)
    if [ "$newer" = missing ]; then
        echo "Building the services (./mvnw package -DskipTests) ..."
        ./mvnw -q -B package -DskipTests
    elif [ -n "$newer" ]; then
        echo "Rebuilding the services: $newer is newer than their jars (./mvnw package -DskipTests) ..."
        ./mvnw -q -B package -DskipTests
    fi
    mkdir -p "$LIB"
    [ -f "$LIB/wiremock-standalone-$WIREMOCK_VERSION.jar" ] || ./mvnw -q -B dependency:copy \
        -Dartifact="org.wiremock:wiremock-standalone:$WIREMOCK_VERSION:jar" -DoutputDirectory="$LIB"
    [ -f "$LIB/greenmail-standalone-$GREENMAIL_VERSION.jar" ] || ./mvnw -q -B dependency:copy \
        -Dartifact="com.icegreen:greenmail-standalone:$GREENMAIL_VERSION:jar" -DoutputDirectory="$LIB"
}

running() {
    [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null
}

start() {
    local name=$1
    shift
    if running "$name"; then
        echo "$name is already running (pid $(cat "$RUN/$name.pid"))"
        return
    fi
    nohup "$@" > "$LOGS/$name.log" 2>&1 &
    echo $! > "$RUN/$name.pid"
    echo "Started $name (pid $!), log in $LOGS/$name.log"
}

wait_for() {
    local name=$1 url=$2 expect=$3
    for _ in $(seq 1 90); do
        curl -fsS "$url" 2>/dev/null | grep -q "$expect" && return
        running "$name" || { echo "$name exited; see $LOGS/$name.log" >&2; exit 1; }
        sleep 1
    done
    echo "$name is not healthy after 90 s; see $LOGS/$name.log" >&2
    exit 1
}

apply_lesson_latency() {
    python3 - "$MOCK_LATENCY" <<'PYTHON'
import json, sys, urllib.request
admin = "http://127.0.0.1:8090/__admin/mappings"
latency = json.load(open("mocks/lesson-latency.json")) if sys.argv[1] == "lesson" else {}
for mapping in json.load(urllib.request.urlopen(admin))["mappings"]:
    request = mapping["request"]
    path = request.get("urlPath") or request.get("url") or request.get("urlPattern") or ""
    delay = next((d for prefix, d in latency.items() if prefix.startswith("/") and path.startswith(prefix)), None)
    if delay is None:
        mapping["response"].pop("delayDistribution", None)
    else:
        mapping["response"]["delayDistribution"] = {"type": "uniform", **delay}
    urllib.request.urlopen(urllib.request.Request(f"{admin}/{mapping['id']}", data=json.dumps(mapping).encode(),
                                                  method="PUT", headers={"Content-Type": "application/json"}))
PYTHON
    echo "Mock latency: $MOCK_LATENCY"
}

up() {
    require_services
    build_if_needed
    mkdir -p "$RUN" "$LOGS"
    # Each worker keeps up to 200 calls in flight (4 consumers, batches of 50): the lesson's latencies are
    # waited out on WireMock's async threads, not on its 25 request threads. No journal of requests
    # (__admin/requests): it kept every request in memory, 3 GB of heap after 430,000 of them, each
    # young collection then taking 190 ms; none also costs less per request than a bounded one.
    start wiremock "${OWN_SESSION[@]}" java -jar "$LIB/wiremock-standalone-$WIREMOCK_VERSION.jar" --port 8090 --bind-address 127.0.0.1 \
        --root-dir mocks --global-response-templating --disable-banner --container-threads 100 \
        --async-response-enabled true --async-response-threads 20 --no-request-journal
    start smtp "${OWN_SESSION[@]}" java -Dgreenmail.setup.test.smtp -Dgreenmail.hostname=127.0.0.1 -Dgreenmail.auth.disabled \
        -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port=8091 -jar "$LIB/greenmail-standalone-$GREENMAIL_VERSION.jar"
    for entry in "${SERVICES[@]}"; do
        local name=${entry%%:*}
        if running "$name"; then
            echo "$name is already running (pid $(cat "$RUN/$name.pid")), on the code it started with"
        elif [ "$name" = signup-api ]; then
            start_service "$name" java -jar "$(runnable_jar_of "$name")"
        else
            start_service "$name" "${LOWER_PRIORITY[@]}" java -jar "$(runnable_jar_of "$name")"
        fi
    done
    wait_for wiremock http://127.0.0.1:8090/__admin/health '"healthy"'
    apply_lesson_latency
    wait_for smtp http://127.0.0.1:8091/api/configuration serverSetups
    echo "smtp (GreenMail) is up: SMTP on 127.0.0.1:3025, received mail at http://127.0.0.1:8091/api/user"
    for entry in "${SERVICES[@]}"; do
        wait_for "${entry%%:*}" "http://127.0.0.1:${entry##*:}/actuator/health" '"status":"UP"'
        echo "${entry%%:*} is up on http://127.0.0.1:${entry##*:}"
    done
    echo
    echo "Dashboard: http://127.0.0.1:8080/"
    echo "Sign up:  curl -i -X POST http://127.0.0.1:8080/api/signups -H 'Content-Type: application/json' -d '{\"email\":\"ada@example.com\",\"name\":\"Ada Lovelace\"}'"
    echo "Watch:    scripts/local.sh logs"
    echo "Mail:     curl http://127.0.0.1:8091/api/user/ada@example.com/messages/INBOX"
}

down() {
    for name in "${WORKERS[@]}" signup-api smtp wiremock; do
        if running "$name"; then
            kill "$(cat "$RUN/$name.pid")"
            echo "Stopping $name"
        fi
    done
    # They shut down side by side: each gets the same 30 s from the signal, not 30 s after the last.
    local deadline=$((SECONDS + 30))
    for name in "${WORKERS[@]}" signup-api smtp wiremock; do
        while running "$name" && [ "$SECONDS" -lt "$deadline" ]; do sleep 1; done
        # A service that ignores SIGTERM (seen once its jar had been rebuilt under it) would keep its
        # port, and the next "up" would fail to start it.
        if running "$name"; then
            kill -KILL "$(cat "$RUN/$name.pid")"
            echo "$name did not stop within 30 s: killed"
        fi
        rm -f "$RUN/$name.pid"
    done
}

status() {
    for name in wiremock smtp signup-api "${WORKERS[@]}"; do
        if running "$name"; then
            echo "$name: running (pid $(cat "$RUN/$name.pid"))"
        else
            echo "$name: stopped"
        fi
    done
}

logs() {
    for name in "${WORKERS[@]}"; do
        tail -n 0 -F "$LOGS/$name.log" 2>/dev/null | sed -u "s/^/$(printf '%-14s' "$name")| /" &
    done
    trap 'kill $(jobs -p) 2>/dev/null' EXIT INT TERM
    wait
}

replay() {
    local worker=${1:-} limit=${2:-1000} entry port=
    for entry in "${SERVICES[@]}"; do
        [[ ${entry%%:*} == "$worker" && $worker == *-worker ]] && port=${entry##*:}
    done
    if [[ -z $port ]]; then
        echo "usage: $0 replay $(IFS='|'; echo "${WORKERS[*]}") [limit]" >&2
        exit 2
    fi
    source "$SECRETS"
    curl -fsS -u "admin:$WORKER_ADMIN_PASSWORD" -X POST "http://127.0.0.1:$port/admin/dead-letters/replay?limit=$limit"
    echo
}

reset() {
    down
    psql -h "$PG_HOST" -U "$PG_USER" -d postgres -qc "DROP DATABASE IF EXISTS $DATABASE"
    if command -v rabbitmqctl > /dev/null; then
        rabbitmqctl -q delete_vhost "$VHOST" 2>/dev/null || true
    else
        curl -fsS -u guest:guest -X DELETE "$RABBITMQ_MANAGEMENT_URL/api/vhosts/$VHOST" > /dev/null || true
    fi
    (
        DATABASE=$DATABASE VHOST=$VHOST PG_HOST=$PG_HOST PG_ADMIN_USER=$PG_USER
        export DATABASE VHOST PG_HOST PG_ADMIN_USER
        exec scripts/provision.sh remove
    )
    echo "Dropped database $DATABASE and vhost $VHOST, and their users and roles ($SECRETS stays)"
}

case "${1:-}" in
    up)
        case "${2:-}" in
            --cluster) use_cluster ;;
            "") ;;
            *) echo "usage: $0 up [--cluster]" >&2; exit 2 ;;
        esac
        up
        ;;
    down) down ;;
    status) status ;;
    logs) logs ;;
    replay) shift; replay "$@" ;;
    reset) reset ;;
    *) echo "usage: $0 up [--cluster]|down|status|logs|replay WORKER [LIMIT]|reset" >&2; exit 2 ;;
esac
