package io.signuppipeline.messaging.worker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.contract.EventContract;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;

/**
 * The consumer side of {@code user.signed_up} for all four workers: the reader every worker's
 * listener uses accepts the fixture as the broker delivers it, and refuses what breaks the contract.
 */
class WorkerContractTest {

    @Test
    void everyWorkerReadsTheUserSignedUpFixture() {
        EventContract.USER_SIGNED_UP.assertConsumable(body -> Delivery.read(delivered(body,
                EventContract.USER_SIGNED_UP.expected().id().toString())));
    }

    @Test
    void aMessageWithoutAMessageIdBreaksTheContract() {
        Message message = delivered(EventContract.USER_SIGNED_UP.fixtureBytes(), null);

        assertThatThrownBy(() -> Delivery.read(message)).hasMessageContaining("message_id");
    }

    @Test
    void aMessageIdOtherThanTheEventIdBreaksTheContract() {
        Message message = delivered(EventContract.USER_SIGNED_UP.fixtureBytes(), "another-id");

        assertThatThrownBy(() -> Delivery.read(message)).hasMessageContaining("is not the event id");
    }

    @Test
    void anotherEventTypeBreaksTheContract() {
        Message message = delivered(EventContract.STEP_COMPLETED.fixtureBytes(),
                EventContract.STEP_COMPLETED.expected().id().toString());

        assertThatThrownBy(() -> Delivery.read(message)).isInstanceOf(RuntimeException.class);
    }

    private static Message delivered(byte[] body, String messageId) {
        return MessageBuilder.withBody(body).setMessageId(messageId).setContentType(CloudEvent.CONTENT_TYPE)
                .build();
    }
}
