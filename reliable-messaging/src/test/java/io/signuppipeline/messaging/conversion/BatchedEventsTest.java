package io.signuppipeline.messaging.conversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.SignupStepCompleted;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;

class BatchedEventsTest {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final CloudEvent<SignupStepCompleted> done = completed("email");
    private final CloudEvent<SignupStepCompleted> other = completed("notify");

    @Test
    void everyEventComesBackAsAMessageOfItsOwnWithItsIdTypeAndTrace() {
        Message batch = received(BatchedEvents.pack(List.of(
                new BatchedEvents.Packed(json(done), TRACEPARENT),
                new BatchedEvents.Packed(json(other), null))));

        List<Message> events = BatchedEvents.unpack(batch);

        assertThat(events).hasSize(2);
        MessageProperties first = events.getFirst().getMessageProperties();
        assertThat(first.getMessageId()).isEqualTo(done.id().toString());
        assertThat(first.getType()).isEqualTo(SignupStepCompleted.TYPE);
        assertThat(first.getContentType()).isEqualTo(CloudEvent.CONTENT_TYPE);
        assertThat(first.<String>getHeader(BatchedEvents.TRACEPARENT)).isEqualTo(TRACEPARENT);
        assertThat(first.getConsumerQueue()).isEqualTo("signup-api.step-results");
        assertThat(first.getDeliveryTag()).isEqualTo(7);
        assertThat(EventJson.read(events.getFirst().getBody(), SignupStepCompleted.class)).isEqualTo(done);
        MessageProperties second = events.get(1).getMessageProperties();
        assertThat(second.getMessageId()).isEqualTo(other.id().toString());
        assertThat(second.<String>getHeader(BatchedEvents.TRACEPARENT)).isNull();
        assertThat(EventJson.read(events.get(1).getBody(), SignupStepCompleted.class)).isEqualTo(other);
    }

    @Test
    void anEventsBodyIsItsEnvelopeAsPackedAndOnlyTopLevelAttributesAreRead() {
        // Multi-byte characters in the first envelope: those after it are cut from the body by byte, not by
        // character. Its spaces stay: a body is the batch's own bytes, not parsed and written again.
        String envelope = "{\"data\": {\"id\": \"inner\", \"name\": \"Zo\u00eb \u4e2d\"}, "
                + "\"id\": \"outer\", \"type\": \"t\", \"n\": [1, {\"id\": 2}]}";
        Message batch = received(("[" + envelope + ", " + json(other) + ",42]").getBytes(StandardCharsets.UTF_8));

        List<Message> events = BatchedEvents.unpack(batch);

        assertThat(events).extracting(event -> new String(event.getBody(), StandardCharsets.UTF_8))
                .containsExactly(envelope, json(other), "42");
        assertThat(events.get(0).getMessageProperties().getMessageId()).isEqualTo("outer");
        assertThat(events.get(0).getMessageProperties().getType()).isEqualTo("t");
        assertThat(events.get(1).getMessageProperties().getMessageId()).isEqualTo(other.id().toString());
        assertThat(events.get(2).getMessageProperties().getMessageId()).as("not an envelope").isNull();
    }

    @Test
    void aBatchIsKnownByItsContentType() {
        assertThat(BatchedEvents.isBatch(received(BatchedEvents.pack(List.of())))).isTrue();
        Message single = MessageBuilder.withBody(EventJson.write(done)).setContentType(CloudEvent.CONTENT_TYPE).build();
        assertThat(BatchedEvents.isBatch(single)).isFalse();
    }

    @Test
    void aBodyThatIsNotAnArrayOfEventsIsUnreadable() {
        assertThatThrownBy(() -> BatchedEvents.unpack(received("{not json".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(BatchedEvents.UnreadableBatch.class).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> BatchedEvents.unpack(received(EventJson.write(done))))
                .isInstanceOf(BatchedEvents.UnreadableBatch.class).hasMessage("not a JSON array of events");
        assertThatThrownBy(() -> BatchedEvents.unpack(received("[{\"id\":\"a\"},".getBytes(StandardCharsets.UTF_8))))
                .as("cut short").isInstanceOf(BatchedEvents.UnreadableBatch.class).hasMessageStartingWith("not JSON");
    }

    private static Message received(byte[] body) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType(CloudEvent.BATCH_CONTENT_TYPE);
        properties.setConsumerQueue("signup-api.step-results");
        properties.setDeliveryTag(7);
        return new Message(body, properties);
    }

    private static CloudEvent<SignupStepCompleted> completed(String step) {
        return CloudEvent.of(UUID.randomUUID(), "/" + step + "-worker", SignupStepCompleted.TYPE,
                Instant.parse("2026-12-06T10:00:00.123456Z"),
                new SignupStepCompleted(UUID.randomUUID(), step, Instant.parse("2026-12-06T10:00:00.1Z"), 12, "ok"));
    }

    private static String json(CloudEvent<?> event) {
        return new String(EventJson.write(event), StandardCharsets.UTF_8);
    }
}
