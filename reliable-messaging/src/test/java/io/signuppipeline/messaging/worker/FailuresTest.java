package io.signuppipeline.messaging.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.UserSignedUp;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void aMessageOnSeveralLinesIsDescribedOnOne() {
        assertThat(Failures.describe(new IllegalArgumentException("Unexpected character ('o')\n at [Source: REDACTED]")))
                .isEqualTo("java.lang.IllegalArgumentException: Unexpected character ('o') at [Source: REDACTED]");
    }

    @Test
    void anEnvelopeWithoutIdIsDescribedWithoutTheParsersLocation() {
        RuntimeException unreadable = catchRuntimeException(
                () -> EventJson.read("{\"hello\":1}".getBytes(StandardCharsets.UTF_8), UserSignedUp.class));

        assertThat(Failures.describe(unreadable)).contains("the envelope has no id").doesNotContain("Source", "line:");
    }

    @Test
    void aLongMessageIsCutAt500Characters() {
        String described = Failures.describe(new IllegalStateException("x".repeat(1_000)));

        assertThat(described).hasSize(503).startsWith("java.lang.IllegalStateException: xxx").endsWith("x...");
    }

    @Test
    void aFailureWithoutMessageIsItsClass() {
        assertThat(Failures.describe(new NullPointerException())).isEqualTo("java.lang.NullPointerException");
    }
}
