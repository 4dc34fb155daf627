package io.signuppipeline.messaging.consumer;

import io.signuppipeline.events.SignupTopology;
import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

/**
 * A service's own durable quorum queue on the signup exchange, with the retry and dead-letter queues
 * around it.
 *
 * <p>A message the consumer rejects is dead-lettered to {@code <queue>.retry}, waits there for the
 * retry delay and is dead-lettered back: the wait happens on the broker, not in a listener thread.
 * Every argument is explicit, so the queues behave the same on RabbitMQ 3.10 and 4.x, whose
 * defaults differ (4.x caps deliveries at 20 and drops past that when no dead-letter target is set).
 * At-least-once dead-lettering needs {@code reject-publish} overflow; without it a quorum queue
 * dead-letters at most once and may lose the message.
 *
 * @param name the work queue, e.g. {@code email-worker.user-signed-up}
 * @param routingKeys what it is bound to on the signup exchange
 */
public record ConsumerQueue(String name, List<String> routingKeys) {

    public ConsumerQueue(String name, String... routingKeys) {
        this(name, List.of(routingKeys));
    }

    /** Where failed messages wait before they are delivered again. */
    public String retryQueue() {
        return name + ".retry";
    }

    /** Where messages that can never succeed are parked for a person to look at. */
    public String deadLetterQueue() {
        return name + ".dlq";
    }

    /** The queues and bindings, for RabbitAdmin to declare on every connection. */
    public Declarables declarables(ConsumerProperties properties) {
        Queue work = quorum(name)
                .deliveryLimit(properties.deliveryLimit())
                .deadLetterExchange("")
                .deadLetterRoutingKey(retryQueue())
                .build();
        Queue retry = quorum(retryQueue())
                .ttl((int) properties.retryDelay().toMillis())
                .deadLetterExchange("")
                .deadLetterRoutingKey(name)
                .build();
        Queue parked = QueueBuilder.durable(deadLetterQueue()).quorum().build();
        TopicExchange exchange = new TopicExchange(SignupTopology.EXCHANGE, true, false);
        List<Declarable> declarables = new ArrayList<>(List.of(work, retry, parked));
        routingKeys.forEach(key -> declarables.add(BindingBuilder.bind(work).to(exchange).with(key)));
        return new Declarables(declarables);
    }

    private static QueueBuilder quorum(String queue) {
        return QueueBuilder.durable(queue)
                .quorum()
                .overflow(QueueBuilder.Overflow.rejectPublish)
                .withArgument("x-dead-letter-strategy", "at-least-once");
    }
}
