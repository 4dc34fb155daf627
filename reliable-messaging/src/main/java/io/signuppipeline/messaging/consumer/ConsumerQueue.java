package io.signuppipeline.messaging.consumer;

import io.signuppipeline.events.SignupTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

/**
 * A service's own durable quorum queue on the signup exchange, with the retry tiers and the
 * dead-letter queue around it.
 *
 * <p>Each retry tier is a queue with a message TTL that dead-letters back to the work queue: a
 * message put there waits on the broker, not in a listener thread, and comes back when its tier's
 * delay is over. A message the consumer rejects, or one that was delivered more often than the
 * delivery limit because it kept killing its consumer, is dead-lettered into the first tier.
 *
 * <p>Every argument is explicit, so the queues behave the same on RabbitMQ 3.10 and 4.x, whose
 * defaults differ (4.x caps deliveries at 20 and drops past that when no dead-letter target is set).
 * At-least-once dead-lettering needs {@code reject-publish} overflow; without it a quorum queue
 * dead-letters at most once and may lose the message.
 *
 * @param name the work queue, e.g. {@code email-worker.user-signed-up}
 * @param routingKeys what it is bound to on the signup exchange
 */
public record ConsumerQueue(String name, List<String> routingKeys) {

    /** Deliveries of a parked message before the broker would give up on it: in practice never. */
    private static final int PARKED_DELIVERY_LIMIT = 1_000_000;

    public ConsumerQueue(String name, String... routingKeys) {
        this(name, List.of(routingKeys));
    }

    /** The retry tier that holds messages for {@code delay}, e.g. {@code email-worker.user-signed-up.retry.30s}. */
    public String retryQueue(Duration delay) {
        return name + ".retry." + label(delay);
    }

    /** Where messages that can never succeed are parked for a person to look at. */
    public String deadLetterQueue() {
        return name + ".dlq";
    }

    /**
     * The service's own direct exchange for sending a message on to one of its own queues (a retry
     * tier, the dead-letter queue, or back to the work queue), with the queue's name as routing key;
     * the broker dead-letters through it too. The default exchange would need a write permission
     * that reaches every queue in the vhost, and RabbitMQ checks that permission on declaring a
     * queue whose dead-letter exchange it is.
     */
    public String redeliveryExchange() {
        return name + ".redelivery";
    }

    /** The queues and bindings, for RabbitAdmin to declare on every connection. */
    public Declarables declarables(ConsumerProperties properties) {
        Queue work = quorum(name)
                .deliveryLimit(properties.deliveryLimit())
                .deadLetterExchange(redeliveryExchange())
                .deadLetterRoutingKey(retryQueue(properties.retryDelays().getFirst()))
                .build();
        List<Queue> queues = new ArrayList<>(List.of(work));
        for (Duration delay : properties.retryDelays()) {
            queues.add(quorum(retryQueue(delay))
                    .ttl(Math.toIntExact(delay.toMillis()))
                    .deadLetterExchange(redeliveryExchange())
                    .deadLetterRoutingKey(name)
                    .build());
        }
        // Looking at a parked message (fetching it and letting it go back) counts as a delivery, and 4.x
        // drops a quorum queue's message past 20 of them by default: parked ones stay for their retention.
        queues.add(QueueBuilder.durable(deadLetterQueue()).quorum()
                .deliveryLimit(PARKED_DELIVERY_LIMIT)
                .ttl(Math.toIntExact(properties.parkedRetention().toMillis()))
                .build());
        DirectExchange redelivery = new DirectExchange(redeliveryExchange(), true, false);
        TopicExchange signupEvents = new TopicExchange(SignupTopology.EXCHANGE, true, false);
        List<Declarable> declarables = new ArrayList<>(queues);
        declarables.add(redelivery);
        queues.forEach(queue -> declarables.add(BindingBuilder.bind(queue).to(redelivery).with(queue.getName())));
        routingKeys.forEach(key -> declarables.add(BindingBuilder.bind(work).to(signupEvents).with(key)));
        return new Declarables(declarables);
    }

    private static QueueBuilder quorum(String queue) {
        return QueueBuilder.durable(queue)
                .quorum()
                .overflow(QueueBuilder.Overflow.rejectPublish)
                .withArgument("x-dead-letter-strategy", "at-least-once");
    }

    /** A delay as people write it: 500ms, 30s, 2m, 1h. */
    private static String label(Duration delay) {
        if (delay.toMillis() % 1000 != 0) {
            return delay.toMillis() + "ms";
        }
        long seconds = delay.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
