package io.signuppipeline.messaging.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutboxPropertiesTest {

    private final OutboxProperties properties = new OutboxProperties(true, 100, Duration.ofSeconds(1),
            Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(24),
            Duration.ofMinutes(5), false);

    @Test
    void backoffDoublesFromTheInitialDelay() {
        assertThat(properties.backoffAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.backoffAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.backoffAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(properties.backoffAfter(5)).isEqualTo(Duration.ofSeconds(16));
    }

    @Test
    void backoffStopsGrowingAtTheMaximum() {
        assertThat(properties.backoffAfter(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.backoffAfter(1_000)).isEqualTo(Duration.ofSeconds(30));
    }
}
