#!/usr/bin/env bash
# Runs every test against real PostgreSQL and RabbitMQ: containers when a Docker engine answers,
# otherwise the local services (see README, "Tests"). Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java.sh

# Against a local broker the tests create their vhost through the management API: enable it if needed.
management=${SIGNUP_TEST_RABBITMQ_MANAGEMENT_URL:-http://127.0.0.1:15672}
if [ "${SIGNUP_TEST_SERVICES:-}" != "containers" ] && command -v rabbitmq-plugins > /dev/null \
        && ! curl -fsS -o /dev/null -u guest:guest "$management/api/overview" 2>/dev/null; then
    echo "Enabling RabbitMQ's management plugin, which the tests use to create their vhost"
    rabbitmq-plugins -q enable rabbitmq_management
    for _ in $(seq 1 60); do
        curl -fsS -o /dev/null -u guest:guest "$management/api/overview" 2>/dev/null && break
        sleep 1
    done
fi

exec ./mvnw -B verify "$@"
