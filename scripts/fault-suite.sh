#!/usr/bin/env bash
# The fault-injection suite alone (fault-injection-tests/README.md): the pipeline broken on purpose,
# under load, then counted for what was lost and what was done twice.
#
#   scripts/fault-suite.sh             the scenarios on the machine's own broker (they also run with
#                                      every scripts/test.sh, so in CI): about 7 to 10 minutes
#   scripts/fault-suite.sh --cluster   the scenarios on the three-node cluster of scripts/cluster.sh,
#                                      two of every service: ten JVMs and three more brokers, which take
#                                      minutes to start on two cores, so CI leaves them out
#
# Both restart services of this machine (RabbitMQ, PostgreSQL or the cluster's nodes): never run
# them beside another build or the benchmark. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java.sh
source scripts/rabbitmq-management.sh

suite=FaultInjectionIT
if [ "${1:-}" = --cluster ]; then
    suite=ClusterFaultIT
    shift
fi
exec ./mvnw -B verify -pl fault-injection-tests -am -Dfault.suite="$suite" \
    -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false "$@"
