package io.signuppipeline.messaging.consumer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.support.micrometer.RabbitListenerObservation;
import org.springframework.amqp.rabbit.support.micrometer.RabbitListenerObservation.DefaultRabbitListenerObservationConvention;
import org.springframework.amqp.rabbit.support.micrometer.RabbitMessageReceiverContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;

/**
 * A consumer span for each message of a batch, as Spring AMQP makes for a listener that takes one
 * message at a time and makes none for a batch listener: the same {@code spring.rabbit.listener}
 * observation, continuing the trace from the message's {@code traceparent} header. So a batch
 * costs one transaction and one acknowledgement, and each signup still has its own trace.
 */
public final class ListenerObservations {

    private final ObservationRegistry registry;
    private final String listenerId;

    /**
     * @param registry where observations go; a no-op registry, or observation switched off, makes none
     * @param listenerId the listener container's id, a tag of every observation
     */
    public ListenerObservations(ObservationRegistry registry, String listenerId) {
        this.registry = registry;
        this.listenerId = listenerId;
    }

    /**
     * Observations where Spring Boot's {@code spring.rabbitmq.listener.simple.observation-enabled} says a
     * listener makes them, into the application's registry; none otherwise.
     */
    public static ListenerObservations configured(RabbitProperties rabbit,
            ObjectProvider<ObservationRegistry> registry, String listenerId) {
        return new ListenerObservations(rabbit.getListener().getSimple().isObservationEnabled()
                ? registry.getIfAvailable(() -> ObservationRegistry.NOOP) : ObservationRegistry.NOOP, listenerId);
    }

    /** Starts the message's observation; the caller opens its scope where the message's work runs and stops it. */
    public Observation start(Message message) {
        if (registry.isNoop()) {
            return Observation.NOOP;
        }
        return RabbitListenerObservation.LISTENER_OBSERVATION.observation(null,
                DefaultRabbitListenerObservationConvention.INSTANCE,
                () -> new RabbitMessageReceiverContext(message, listenerId), registry).start();
    }
}
