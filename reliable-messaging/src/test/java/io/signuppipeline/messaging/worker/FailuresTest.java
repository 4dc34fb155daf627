package io.signuppipeline.messaging.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void aMessageOnSeveralLinesIsDescribedOnOne() {
        assertThat(Failures.describe(new IllegalArgumentException("Unexpected character ('o')\n at [Source: REDACTED]")))
                .isEqualTo("java.lang.IllegalArgumentException: Unexpected character ('o') at [Source: REDACTED]");
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
