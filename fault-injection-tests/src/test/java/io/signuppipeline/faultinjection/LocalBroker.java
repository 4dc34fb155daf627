package io.signuppipeline.faultinjection;

/**
 * The machine's RabbitMQ, stopped and started with {@code rabbitmqctl} as an operator would.
 * {@code stop_app} stops the broker but keeps its Erlang node, so {@code start_app} brings back the
 * same broker with its durable quorum queues and their messages; every client connection is cut.
 */
final class LocalBroker {

    private LocalBroker() {
    }

    static Outage stop() {
        return Outage.begin("RabbitMQ", () -> Commands.run("rabbitmqctl", "stop_app"), LocalBroker::start);
    }

    /** Starts the broker application (a no-op when it runs) and waits until it has booted. */
    static void start() {
        Commands.run("rabbitmqctl", "start_app");
        Commands.run("rabbitmqctl", "await_startup", "--timeout", "120");
    }
}
