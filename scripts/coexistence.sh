#!/usr/bin/env bash
# Checks that what a user may run at once on one machine coexists: with the local stack up
# (scripts/local.sh up), the end-to-end tests (scripts/test.sh -pl end-to-end-tests) and the
# benchmark's smoke run (scripts/bench.sh --quick) run side by side, each on a database, vhost and
# logins of its own. It fails unless both pass, PostgreSQL's connections stay under its
# max_connections throughout, and afterwards a signup on the local stack completes (every step DONE)
# within 30 s, with no service of the stack restarted.
#
#   scripts/coexistence.sh    about 7 minutes on two cores; leaves the local stack as it found it
#   COEXISTENCE_TESTS=SignupPipelineIT scripts/coexistence.sh
#                             only these end-to-end test classes (CI: about 4 minutes)
#
# A local stack already up (this checkout's or another's: it holds the ports) is used as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java.sh

API=http://127.0.0.1:8080
WORK=$(mktemp -d)
say() { printf '[coexistence +%4ds] %s\n' "$SECONDS" "$*"; }

# POSTs a signup to the local stack and waits up to $1 seconds for every step of it to be DONE.
signup_completes() {
    local limit=$1 id started
    started=$SECONDS
    id=$(curl -fsS -X POST "$API/api/signups" -H 'Content-Type: application/json' \
        -d "{\"email\":\"coexistence-$RANDOM$RANDOM@example.com\",\"name\":\"Coexistence Check\"}" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
    while [ $((SECONDS - started)) -le "$limit" ]; do
        if curl -fsS "$API/api/signups/$id" | python3 -c '
import json, sys
steps = json.load(sys.stdin)["steps"]
sys.exit(0 if steps and all(step["state"] == "DONE" for step in steps.values()) else 1)'; then
            say "signup $id on the local stack: every step DONE after $((SECONDS - started)) s"
            return 0
        fi
        sleep 1
    done
    say "signup $id on the local stack: not every step DONE after ${limit} s:"
    curl -sS "$API/api/signups/$id" >&2
    echo >&2
    say "the local stack's queues (name, ready, unacknowledged, consumers); thousands waiting mean a backlog" \
        "it had before this check, left by a load test (scripts/local.sh reset clears it):"
    rabbitmqctl -q list_queues -p "${RABBITMQ_VHOST:-signup}" name messages_ready messages_unacknowledged consumers >&2 \
        || true
    return 1
}

service_pids() {
    cat .local/run/*.pid 2>/dev/null | sort | tr '\n' ' '
}

stack_was_up=no
curl -fsS "$API/actuator/health" 2>/dev/null | grep -q '"status":"UP"' && stack_was_up=yes
finish() {
    [ -n "${sampler:-}" ] && kill "$sampler" 2>/dev/null
    [ "$stack_was_up" = no ] && scripts/local.sh down > /dev/null 2>&1
    rm -rf "$WORK"
}
trap finish EXIT

say "Building and installing the modules (./mvnw install -DskipTests)"
./mvnw -q -B install -DskipTests
if [ "$stack_was_up" = yes ]; then
    say "The local stack is up already: checking beside it"
else
    say "Starting the local stack (scripts/local.sh up)"
    MOCK_LATENCY=fast scripts/local.sh up > "$WORK/local.log" 2>&1 || { cat "$WORK/local.log" >&2; exit 1; }
fi
signup_completes 60
pids_before=$(service_pids)

max_connections=$(psql -h 127.0.0.1 -U postgres -d postgres -Atc 'SHOW max_connections')
( while true; do
    psql -h 127.0.0.1 -U postgres -d postgres -Atc 'SELECT count(*) FROM pg_stat_activity' 2>/dev/null
    sleep 1
  done > "$WORK/connections" ) &
sampler=$!

say "The end-to-end tests and the benchmark's smoke run, side by side, beside the local stack"
only=()
[ -n "${COEXISTENCE_TESTS:-}" ] && only=(-Dit.test="$COEXISTENCE_TESTS" -Dtest=NoSuchTest
    -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false)
scripts/test.sh -q -pl end-to-end-tests "${only[@]}" > "$WORK/tests.log" 2>&1 &
tests=$!
SIGNUP_BENCH_BUILD=no scripts/bench.sh --quick > "$WORK/bench.log" 2>&1 &
bench=$!
tests_rc=0 bench_rc=0
wait "$tests" || tests_rc=$?
say "end-to-end tests: exit $tests_rc"
wait "$bench" || bench_rc=$?
say "benchmark smoke run: exit $bench_rc"
kill "$sampler" 2>/dev/null
sampler=
peak=$(sort -n "$WORK/connections" | tail -1)
say "PostgreSQL connections: peak $peak of max_connections $max_connections"

failed=0
[ "$tests_rc" -eq 0 ] || { tail -60 "$WORK/tests.log" >&2; failed=1; }
[ "$bench_rc" -eq 0 ] || { tail -30 "$WORK/bench.log" >&2; failed=1; }
grep -h "too many clients" "$WORK/tests.log" "$WORK/bench.log" .local/logs/*.log > /dev/null 2>&1 \
    && { say "someone was refused a connection: too many clients"; failed=1; }
[ "${peak:-0}" -lt "$max_connections" ] || failed=1
signup_completes 30 || failed=1
[ "$(service_pids)" = "$pids_before" ] || { say "a service of the local stack was restarted or died"; failed=1; }
scripts/local.sh status

if [ "$failed" -ne 0 ]; then
    say "FAILED: the three did not coexist"
    exit 1
fi
say "The local stack, a test run and the benchmark coexisted"
