#!/usr/bin/env bash
# Measures the pipeline on this machine and writes a Markdown report with PNG charts (README, "Benchmarks").
#   scripts/bench.sh           the full run, about 12 minutes once built: report in bench-results/
#   scripts/bench.sh --quick   the smoke run, under 3 minutes once built: report in bench-results/quick/
# Runs against the local PostgreSQL (and its pgbench) and RabbitMQ, on a database and vhost of its own.
# Builds the jars first; SIGNUP_BENCH_BUILD=no uses those already built (CI, right after the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/java.sh
export SIGNUP_TEST_SERVICES=${SIGNUP_TEST_SERVICES:-local}
source scripts/rabbitmq-management.sh

if ! command -v pgbench > /dev/null; then
    echo "pgbench not found: it comes with PostgreSQL (Debian: postgresql-contrib or postgresql-client)." >&2
    exit 1
fi

if [ "${SIGNUP_BENCH_BUILD:-yes}" != "no" ]; then
    echo "Building the service jars and the benchmark (./mvnw package -DskipTests)"
    ./mvnw -q -B package -DskipTests
fi

output="$root/bench-results"
for argument in "$@"; do
    [ "$argument" = "--quick" ] && output="$root/bench-results/quick"
done
mkdir -p "$output"

# From the module's folder, so the services' logs land in benchmarks/target/service-logs.
cd benchmarks
exec java -Xmx2g -cp "target/classes:target/lib/*" io.signuppipeline.bench.Benchmark "$@" --out "$output"
