package io.signuppipeline.faultinjection;

import java.util.List;

/**
 * How many deliveries a service's listener holds at once, passed to the service on its command line.
 *
 * <p>The in-flight limit is the most messages a worker can have received and not yet acknowledged,
 * hence the most downstream calls a crash can make it repeat on redelivery: each consumer holds its
 * prefetch, or its batch if that is bigger (the container raises the prefetch to the batch size).
 *
 * @param prefetch unacknowledged messages per consumer
 * @param concurrency consumers per listener
 * @param batchSize messages a consumer handles together, in one transaction and one acknowledgement
 */
record ListenerSettings(int prefetch, int concurrency, int batchSize) {

    List<String> arguments() {
        return List.of("--spring.rabbitmq.listener.simple.prefetch=" + prefetch,
                "--spring.rabbitmq.listener.simple.concurrency=" + concurrency,
                "--messaging.consumer.batch-size=" + batchSize);
    }

    int inFlightLimit() {
        return Math.max(prefetch, batchSize) * concurrency;
    }

    @Override
    public String toString() {
        return "prefetch " + prefetch + " x concurrency " + concurrency + " (batches of " + batchSize
                + ") = in-flight limit " + inFlightLimit();
    }
}
