# Sourced by test.sh and bench.sh: against a local broker the tests and the benchmark create their
# vhost through the management API, so enable the plugin if it does not answer.
management=${SIGNUP_TEST_RABBITMQ_MANAGEMENT_URL:-http://127.0.0.1:15672}
if [ "${SIGNUP_TEST_SERVICES:-}" != "containers" ] && command -v rabbitmq-plugins > /dev/null \
        && ! curl -fsS -o /dev/null -u guest:guest "$management/api/overview" 2>/dev/null; then
    echo "Enabling RabbitMQ's management plugin, used to create a vhost per run"
    rabbitmq-plugins -q enable rabbitmq_management
    for _ in $(seq 1 60); do
        curl -fsS -o /dev/null -u guest:guest "$management/api/overview" 2>/dev/null && break
        sleep 1
    done
fi
