package io.signuppipeline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.signuppipeline.events.contract.EventContract;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JacksonException;

class EventJsonTest {

    static Stream<EventContract<?>> contracts() {
        return EventContract.all();
    }

    @ParameterizedTest
    @MethodSource("contracts")
    void writesTheEnvelopeExactlyAsTheFixture(EventContract<?> contract) {
        contract.assertProducedMatchesFixture(EventJson.write(contract.expected()));
    }

    @ParameterizedTest
    @MethodSource("contracts")
    <T> void readsTheFixtureAndIgnoresFieldsAddedLater(EventContract<T> contract) {
        contract.assertConsumable(bytes -> EventJson.read(bytes, contract.dataType()));
    }

    @Test
    void writesTimeAsAnIsoInstantNotANumber() {
        String json = new String(EventJson.write(EventContract.USER_SIGNED_UP.expected()), StandardCharsets.UTF_8);

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
                .hasMessageContaining("the envelope has no id");
    }

    @Test
    void describesAFailureWithoutTheParsersNotesOnWhere() {
        JacksonException unclosed = catchThrowableOfType(JacksonException.class, () -> EventJson.read(
                "{\"id\":\"0193a5c2-7f1d-7a10-8e44-1f2a3b4c5d6e\"".getBytes(StandardCharsets.UTF_8), UserSignedUp.class));
        JacksonException withoutId = catchThrowableOfType(JacksonException.class,
                () -> EventJson.read("{}".getBytes(StandardCharsets.UTF_8), UserSignedUp.class));

        assertThat(unclosed.getMessage()).contains("[Source");
        assertThat(EventJson.problem(unclosed)).isEqualTo("Unexpected end-of-input: expected close marker for Object");
        assertThat(EventJson.problem(withoutId)).endsWith("the envelope has no id").doesNotContain("Source", "line:");
    }

    @Test
    void onlyReviewAndRejectFlagAUser() {
        assertThat(new RiskAssessed(null, 10, "APPROVE").flagsUser()).isFalse();
        assertThat(new RiskAssessed(null, 60, "REVIEW").flagsUser()).isTrue();
        assertThat(new RiskAssessed(null, 95, "REJECT").flagsUser()).isTrue();
    }
}
