#!/usr/bin/env bash
# The user's own path, end to end, on a machine with a Docker engine: docker compose up with no .env,
# one signup through every worker of scripts/workers.roster, its welcome email in Mailpit, every worker's log naming it, a
# malformed signup refused, then docker compose down -v. On a failure it names the failing step and
# prints the last 50 lines of every service's log. Without a Docker engine it says so and exits 2.
#
#   scripts/compose-smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."

API="http://127.0.0.1:${SIGNUP_API_HOST_PORT:-8080}"
MAILPIT="http://127.0.0.1:${MAILPIT_UI_HOST_PORT:-8025}"
WORKERS=()
STEPS=()
while read -r service step _; do
    WORKERS+=("$service")
    STEPS+=("$step")
done < <(grep -Ev '^[[:space:]]*(#|$)' scripts/workers.roster)
EXPECTED_DONE=$(printf '%s\n' "${STEPS[@]}" | sort | tr '\n' ' ' | sed 's/ $//')
STEP="checking for a Docker engine"

if ! docker info > /dev/null 2>&1; then
    echo "compose-smoke: no Docker engine answers (docker info failed); this test needs one" >&2
    exit 2
fi

failed() {
    local status=$?
    echo
    echo "compose-smoke: FAILED while $STEP (exit $status)" >&2
    for service in $(docker compose config --services 2>/dev/null); do
        echo "---- last 50 lines of $service ----"
        docker compose logs --no-color --tail 50 "$service" 2>&1 || true
    done
}

finish() {
    local status=$?
    [ "$status" -eq 0 ] || failed
    echo "compose-smoke: docker compose down -v"
    docker compose down -v --remove-orphans > /dev/null 2>&1 || true
    exit "$status"
}
trap finish EXIT

step() {
    STEP=$1
    echo "compose-smoke: $STEP"
}

step "starting the stack (docker compose up -d --build --wait)"
docker compose up -d --build --wait

step "signing up"
email="smoke-$(date +%s)-$RANDOM@example.com"
headers=$(curl -sS -o /dev/null -D - -X POST "$API/api/signups" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"name\":\"Smoke Test\"}")
echo "$headers" | head -1 | grep -q ' 201' || { echo "expected 201: $(echo "$headers" | head -1)" >&2; exit 1; }
signup_id=$(echo "$headers" | tr -d '\r' | sed -n 's|^[Ll]ocation: .*/||p')
[ -n "$signup_id" ] || { echo "no Location in the answer" >&2; exit 1; }
echo "compose-smoke: signup $signup_id ($email)"

step "waiting for every step DONE (GET /api/signups/$signup_id)"
done_steps=""
for _ in $(seq 1 90); do
    done_steps=$(curl -fsS "$API/api/signups/$signup_id" | python3 -c '
import json, sys
steps = json.load(sys.stdin)["steps"]
print(" ".join(sorted(name for name, step in steps.items() if step["state"] == "DONE")))')
    [ "$done_steps" = "$EXPECTED_DONE" ] && break
    sleep 1
done
[ "$done_steps" = "$EXPECTED_DONE" ] || { echo "steps DONE after 90 s: [$done_steps]" >&2; exit 1; }

step "finding the welcome email in Mailpit"
found=$(curl -fsS -G "$MAILPIT/api/v1/search" --data-urlencode "query=to:\"$email\"" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["messages_count"])')
[ "$found" -ge 1 ] || { echo "no email to $email in Mailpit" >&2; exit 1; }

for worker in "${WORKERS[@]}"; do
    step "finding the signup in $worker's log"
    docker compose logs --no-color "$worker" | grep -q "$signup_id"
done

step "sending a malformed signup"
headers=$(curl -sS -o /dev/null -D - -X POST "$API/api/signups" -H 'Content-Type: application/json' \
    -d '{"email": "not an address", "name": ""}')
echo "$headers" | head -1 | grep -q ' 400' || { echo "expected 400: $(echo "$headers" | head -1)" >&2; exit 1; }
echo "$headers" | grep -qi '^content-type: application/problem+json' \
    || { echo "expected application/problem+json" >&2; exit 1; }

step "done"
echo "compose-smoke: every step passed"
