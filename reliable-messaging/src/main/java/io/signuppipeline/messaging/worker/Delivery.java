package io.signuppipeline.messaging.worker;

import io.micrometer.observation.Observation;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.UserSignedUp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.amqp.core.Message;

/**
 * One message of a batch: the event it carries, its own observation (its span in the signup's
 * trace), and, once decided, its {@link Fate}.
 */
final class Delivery {

    private final Message message;
    private final CloudEvent<UserSignedUp> event;
    private final RuntimeException unreadable;
    private final Observation observation;
    private Object result;
    private long downstreamMillis = -1;
    private Instant earlierClaim;
    private Fate fate;

    private Delivery(Message message, CloudEvent<UserSignedUp> event, RuntimeException unreadable,
            Observation observation) {
        this.message = message;
        this.event = event;
        this.unreadable = unreadable;
        this.observation = observation;
    }

    static Delivery of(Message message, Observation observation) {
        try {
            return new Delivery(message, read(message), null, observation);
        } catch (RuntimeException unreadable) {
            return new Delivery(message, null, unreadable, observation);
        }
    }

    /** The event in a message, checked against the contract's message properties. */
    static CloudEvent<UserSignedUp> read(Message message) {
        String messageId = message.getMessageProperties().getMessageId();
        if (messageId == null) {
            throw new IllegalArgumentException("no message_id");
        }
        CloudEvent<UserSignedUp> event = EventJson.read(message.getBody(), UserSignedUp.class);
        if (!UserSignedUp.TYPE.equals(event.type()) || event.data().userId() == null || event.data().email() == null) {
            throw new IllegalArgumentException("not a user.signed_up event with a user id and an email");
        }
        if (!messageId.equals(event.id().toString())) {
            throw new IllegalArgumentException("message_id " + messageId + " is not the event id " + event.id());
        }
        return event;
    }

    Message message() {
        return message;
    }

    /** The event; null when the message was unreadable. */
    CloudEvent<UserSignedUp> event() {
        return event;
    }

    RuntimeException unreadable() {
        return unreadable;
    }

    UUID eventId() {
        return event.id();
    }

    UUID signupId() {
        return event.data().userId();
    }

    String messageId() {
        return message.getMessageProperties().getMessageId();
    }

    Observation observation() {
        return observation;
    }

    /** The broker dead-lettered it from {@code queue} because it was delivered too often without an ack. */
    boolean keptKillingItsConsumer(String queue) {
        List<Map<String, ?>> deaths = message.getMessageProperties().getXDeathHeader();
        return deaths != null && deaths.stream().anyMatch(death -> queue.equals(death.get("queue"))
                && Objects.equals("delivery_limit", String.valueOf(death.get("reason"))));
    }

    /** An earlier attempt claimed the event at this time and recorded nothing: its call may have been made. */
    void claimedBefore(Instant earlierClaim) {
        this.earlierClaim = earlierClaim;
    }

    /** When an earlier attempt that may have made the call claimed the event; null if none did. */
    Instant earlierClaim() {
        return earlierClaim;
    }

    /** The downstream call succeeded; the effect is still to be recorded. */
    void called(Object result, long downstreamMillis) {
        this.result = result;
        this.downstreamMillis = downstreamMillis;
    }

    boolean wasCalled() {
        return fate == null && downstreamMillis >= 0;
    }

    Object result() {
        return result;
    }

    long downstreamMillis() {
        return downstreamMillis;
    }

    boolean decided() {
        return fate != null;
    }

    Fate fate() {
        return fate;
    }

    void decide(Fate fate) {
        this.fate = fate;
    }
}
