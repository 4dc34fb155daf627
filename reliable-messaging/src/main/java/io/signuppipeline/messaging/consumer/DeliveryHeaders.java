package io.signuppipeline.messaging.consumer;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;

/**
 * The headers a consumer adds when it sends a message to a retry tier or parks it: what happened to
 * it so far, readable in the management UI and by whoever replays it.
 */
public final class DeliveryHeaders {

    /** How many times the step has failed for this message. */
    public static final String ATTEMPTS = "x-attempts";
    /** When it failed the first time (ISO-8601). */
    public static final String FIRST_FAILED_AT = "x-first-failed-at";
    /** The routing key it was first published with; retries arrive with the queue's name instead. */
    public static final String ORIGINAL_ROUTING_KEY = "x-original-routing-key";
    /** Why it was parked. */
    public static final String REASON = "x-parked-reason";
    /** The class of the last failure. */
    public static final String EXCEPTION = "x-exception-class";
    /** The message of the last failure, without a stack trace. */
    public static final String EXCEPTION_MESSAGE = "x-exception-message";
    /** When it was parked (ISO-8601). */
    public static final String PARKED_AT = "x-parked-at";

    private DeliveryHeaders() {
    }

    /** A copy of a received message to publish again, remembering the routing key it was first published with. */
    public static MessageBuilder copy(Message message) {
        MessageProperties properties = message.getMessageProperties();
        MessageBuilder copy = MessageBuilder.fromClonedMessage(message);
        if (properties.getHeader(ORIGINAL_ROUTING_KEY) == null && properties.getReceivedRoutingKey() != null) {
            copy.setHeader(ORIGINAL_ROUTING_KEY, properties.getReceivedRoutingKey());
        }
        return copy;
    }
}
