package io.signuppipeline.faultinjection;

import java.util.List;

/**
 * How many deliveries a service's listener holds at once, passed to the service on its command line.
 *
 * <p>The product of the two is the in-flight limit: the most messages a worker can have received and
 * not yet acknowledged, hence the most downstream calls a crash can make it repeat on redelivery.
 *
 * @param prefetch unacknowledged messages per consumer
 * @param concurrency consumers per listener
 */
record ListenerSettings(int prefetch, int concurrency) {

    List<String> arguments() {
        return List.of("--spring.rabbitmq.listener.simple.prefetch=" + prefetch,
                "--spring.rabbitmq.listener.simple.concurrency=" + concurrency);
    }

    int inFlightLimit() {
        return prefetch * concurrency;
    }

    @Override
    public String toString() {
        return "prefetch " + prefetch + " x concurrency " + concurrency + " = in-flight limit " + inFlightLimit();
    }
}
