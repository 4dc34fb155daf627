#!/usr/bin/env bash
# Runs every test against real PostgreSQL and RabbitMQ: containers when a Docker engine answers,
# otherwise the local services (see README, "Tests"). Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java.sh

source scripts/rabbitmq-management.sh

exec ./mvnw -B verify "$@"
