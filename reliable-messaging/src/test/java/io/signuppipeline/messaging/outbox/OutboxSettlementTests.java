package io.signuppipeline.messaging.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.signuppipeline.testing.UsesTestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The relay's log lines about a row, in the trace the row was appended in. */
@SpringBootTest(properties = "messaging.outbox.relay-enabled=false")
@UsesTestServices
@ExtendWith(OutputCaptureExtension.class)
class OutboxSettlementTests {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    @Autowired
    OutboxRepository repository;

    @Test
    void aRowsPublishAndFailureAreLoggedInItsTraceAndTheNextRowsInNone(CapturedOutput output) {
        OutboxProperties properties = new OutboxProperties(true, 10, Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofMinutes(1), false);
        OutboxSettlement settlement = new OutboxSettlement(repository,
                new OutboxMetrics(new SimpleMeterRegistry(), repository), properties);
        PendingMessage traced = row("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
        PendingMessage returned = row("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
        PendingMessage untraced = row(null);

        settlement.settle(List.of(
                new PublishOutcome(traced, PublishOutcome.Result.CONFIRMED, null, 3),
                new PublishOutcome(returned, PublishOutcome.Result.RETURNED, "returned as unroutable", 3),
                new PublishOutcome(untraced, PublishOutcome.Result.CONFIRMED, null, 3)));

        String correlation = "[" + TRACE_ID + "-" + SPAN_ID + "]";
        assertThat(lineOf(output, traced)).contains("Published user.signed_up", correlation);
        assertThat(lineOf(output, returned)).contains("TOPOLOGY ERROR", correlation);
        assertThat(lineOf(output, untraced)).contains("Published user.signed_up").doesNotContain(TRACE_ID);
    }

    private static PendingMessage row(String traceparent) {
        return new PendingMessage(UUID.randomUUID(), UUID.randomUUID(), "user.signed_up", "test.settlement", "{}",
                Instant.now(), 0, traceparent);
    }

    private static String lineOf(CapturedOutput output, PendingMessage row) {
        return output.getAll().lines().filter(line -> line.contains("eventId=" + row.id())).findFirst()
                .orElseThrow(() -> new AssertionError("no log line about " + row.id()));
    }
}
