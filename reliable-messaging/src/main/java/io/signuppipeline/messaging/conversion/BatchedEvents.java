package io.signuppipeline.messaging.conversion;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * CloudEvents' batched content mode on AMQP: several events in one message, whose body is a JSON
 * array of envelopes ({@value CloudEvent#BATCH_CONTENT_TYPE}).
 *
 * <p>A message costs the broker a publish, a delivery and an acknowledgement, and each consumer a
 * round of listener work, whatever its size: the workers' results, four or five per signup, go out
 * several to a message. Every event keeps what a message of its own would carry: its id, its type,
 * and its trace, as the {@code traceparent} attribute of the Distributed Tracing extension inside
 * its envelope. A consumer unpacks the message into one message per event and handles those as if
 * they had arrived alone.
 */
public final class BatchedEvents {

    /** The envelope attribute, and the AMQP header of an unpacked event, that carries its trace. */
    public static final String TRACEPARENT = "traceparent";
    /** The envelope's attributes that an unpacked event's message properties carry. */
    private static final Set<String> CARRIED = Set.of("id", "type", TRACEPARENT);

    private BatchedEvents() {
    }

    /**
     * One event to pack.
     *
     * @param envelope the structured-mode envelope, as JSON
     * @param traceparent the trace its consumer continues; null for none
     */
    public record Packed(String envelope, String traceparent) {
    }

    /** The body of one message that carries all the events, in their order. */
    public static byte[] pack(List<Packed> events) {
        StringBuilder body = new StringBuilder(events.size() * 512).append('[');
        for (Packed event : events) {
            if (body.length() > 1) {
                body.append(',');
            }
            if (event.traceparent() == null) {
                body.append(event.envelope());
            } else {
                // The envelope is a JSON object: the attribute goes in right after its opening brace.
                int brace = event.envelope().indexOf('{');
                body.append(event.envelope(), 0, brace + 1)
                        .append('"').append(TRACEPARENT).append("\":")
                        .append(EventJson.mapper().writeValueAsString(event.traceparent()))
                        .append(',')
                        .append(event.envelope(), brace + 1, event.envelope().length());
            }
        }
        return body.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the message carries a batch of events rather than one. */
    public static boolean isBatch(Message message) {
        return CloudEvent.BATCH_CONTENT_TYPE.equals(message.getMessageProperties().getContentType());
    }

    /**
     * One message per event of a batch, as if each had been published alone: the envelope as its
     * body (the batch's own bytes, not parsed into a tree and written again), the event's id as its
     * {@code message_id}, its type as its {@code type}, its trace as its {@code traceparent} header,
     * and the batch's delivery (queue, routing key, redelivered flag).
     *
     * @throws UnreadableBatch when the body is not a JSON array
     */
    public static List<Message> unpack(Message batch) {
        byte[] body = batch.getBody();
        try (JsonParser parser = EventJson.mapper().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                parser.skipChildren(); // a body that is not JSON at all fails here, as not JSON
                throw new UnreadableBatch("not a JSON array of events");
            }
            List<Message> messages = new ArrayList<>();
            for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
                if (element == null) {
                    throw new UnreadableBatch("not JSON: the array of events is cut short");
                }
                int start = (int) parser.currentTokenLocation().getByteOffset();
                Map<String, String> attributes = element == JsonToken.START_OBJECT
                        ? attributes(parser) : skipped(parser);
                int end = (int) parser.currentLocation().getByteOffset();
                messages.add(new Message(Arrays.copyOfRange(body, start, end), propertiesOf(attributes, batch)));
            }
            return messages;
        } catch (JacksonException e) {
            throw new UnreadableBatch("not JSON: " + EventJson.problem(e));
        }
    }

    /** The envelope's top-level string attributes a message's properties carry; leaves the parser at its end. */
    private static Map<String, String> attributes(JsonParser envelope) {
        Map<String, String> attributes = new HashMap<>(4);
        while (envelope.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = envelope.currentName();
            JsonToken value = envelope.nextToken();
            if (value == JsonToken.VALUE_STRING && CARRIED.contains(name)) {
                attributes.put(name, envelope.getString());
            } else {
                envelope.skipChildren();
            }
        }
        return attributes;
    }

    /** An element that is not an envelope: passed on as it is, for the consumer to refuse. */
    private static Map<String, String> skipped(JsonParser element) {
        element.skipChildren();
        return Map.of();
    }

    private static MessageProperties propertiesOf(Map<String, String> event, Message batch) {
        MessageProperties received = batch.getMessageProperties();
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(event.get("id"));
        properties.setType(event.get("type"));
        properties.setContentType(CloudEvent.CONTENT_TYPE);
        properties.setContentEncoding(StandardCharsets.UTF_8.name());
        properties.setAppId(received.getAppId());
        properties.setTimestamp(received.getTimestamp());
        properties.setReceivedExchange(received.getReceivedExchange());
        properties.setReceivedRoutingKey(received.getReceivedRoutingKey());
        properties.setConsumerQueue(received.getConsumerQueue());
        properties.setRedelivered(received.isRedelivered());
        properties.setDeliveryTag(received.getDeliveryTag());
        String traceparent = event.get(TRACEPARENT);
        if (traceparent != null) {
            properties.setHeader(TRACEPARENT, traceparent);
        }
        return properties;
    }

    /** A message that says it carries a batch of events, and does not. */
    public static final class UnreadableBatch extends RuntimeException {

        UnreadableBatch(String message) {
            super(message, null, false, false);
        }
    }
}
