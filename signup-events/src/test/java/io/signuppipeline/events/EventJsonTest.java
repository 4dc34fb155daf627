package io.signuppipeline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signuppipeline.events.contract.UserSignedUpContract;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void writesTheEnvelopeExactlyAsTheFixture() {
        UserSignedUpContract.assertProducedMatchesFixture(EventJson.write(UserSignedUpContract.EXPECTED));
    }

    @Test
    void readsTheFixtureAndIgnoresFieldsAddedLater() {
        UserSignedUpContract.assertConsumable(bytes -> EventJson.read(bytes, UserSignedUp.class));
    }

    @Test
    void writesTimeAsAnIsoInstantNotANumber() {
        String json = new String(EventJson.write(UserSignedUpContract.EXPECTED), StandardCharsets.UTF_8);

        assertThat(json).contains("\"time\":\"2026-11-29T10:15:30.123Z\"");
    }

    @Test
    void rejectsAnEnvelopeWithoutAnId() {
        String withoutId = """
                {"specversion":"1.0","source":"/signup-api","type":"user.signed_up",
                 "time":"2026-11-29T10:15:30Z","datacontenttype":"application/json",
                 "data":{"userId":"0193a5c2-7f1d-7a10-8e44-1f2a3b4c5d6e","email":"a@example.com","name":"A"}}
                """;

        assertThatThrownBy(() -> EventJson.read(withoutId.getBytes(StandardCharsets.UTF_8), UserSignedUp.class))
                .hasMessageContaining("id");
    }
}
