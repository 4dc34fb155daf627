package io.signuppipeline.messaging.outbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes down what the broker said about a claimed batch, inside the transaction that claimed it:
 * the confirmed rows are deleted (or marked published, when published rows are kept), the others are
 * rescheduled with a backoff; every outcome is counted, and logged. Rows kept as published are
 * deleted once past their retention.
 */
class OutboxSettlement {

    /** The relay's logger: a reader of the logs follows one relay, whichever class writes the line. */
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final OutboxRepository repository;
    private final OutboxMetrics metrics;
    private final OutboxProperties properties;
    private Instant nextCleanup = Instant.now();

    OutboxSettlement(OutboxRepository repository, OutboxMetrics metrics, OutboxProperties properties) {
        this.repository = repository;
        this.metrics = metrics;
        this.properties = properties;
    }

    /** @return whether no message of the batch even reached the broker */
    boolean settle(List<PublishOutcome> outcomes) {
        List<UUID> published = outcomes.stream().filter(PublishOutcome::confirmed)
                .map(outcome -> outcome.message().id()).toList();
        if (properties.keepsPublished()) {
            repository.markPublished(published);
        } else {
            repository.deletePublished(published);
        }
        List<PublishOutcome> failed = outcomes.stream().filter(outcome -> !outcome.confirmed()).toList();
        for (PublishOutcome outcome : outcomes) {
            metrics.record(outcome);
            if (outcome.confirmed()) {
                logPublished(outcome);
            }
        }
        for (PublishOutcome outcome : failed) {
            PendingMessage message = outcome.message();
            repository.reschedule(message.id(), properties.backoffAfter(message.attempts() + 1), outcome.reason());
        }
        logFailures(failed);
        return !failed.isEmpty() && failed.size() == outcomes.size() && noneSent(failed);
    }

    /**
     * Makes every row that waits out a backoff due now; the relay calls it when its connection to the
     * broker is made again, so that what an outage held back goes at once. A row the broker returned
     * (no queue bound) gets one try more than its backoff would have given it, and is rescheduled again.
     */
    void retryWaitingNow() {
        int waiting = repository.makeWaitingDue();
        if (waiting > 0) {
            log.info("Connected to the broker: {} event(s) waiting to be retried go now", waiting);
        }
    }

    /** Deletes the rows published longer ago than the retention, when rows are kept and a cleanup is due. */
    void cleanUpIfDue() {
        Instant now = Instant.now();
        if (!properties.keepsPublished() || now.isBefore(nextCleanup)) {
            return;
        }
        nextCleanup = now.plus(properties.cleanupInterval());
        int deleted = repository.deletePublishedBefore(now.minus(properties.retention()));
        if (deleted > 0) {
            log.info("Deleted {} published outbox row(s) older than {}", deleted, properties.retention());
        }
    }

    private static boolean noneSent(List<PublishOutcome> outcomes) {
        return outcomes.stream().allMatch(outcome -> outcome.result() == PublishOutcome.Result.NOT_SENT);
    }

    private static void logPublished(PublishOutcome outcome) {
        PendingMessage message = outcome.message();
        TraceParents.inLogs(message.traceparent(), () -> log.info(
                "Published {} signupId={} eventId={} attempt={} confirmed in {} ms{}", message.type(),
                message.signupId(), message.id(), message.attempts() + 1, outcome.elapsedMillis(),
                outcome.eventsInMessage() == 1 ? "" : ", one of " + outcome.eventsInMessage() + " in its message"));
    }

    private void logFailures(List<PublishOutcome> failed) {
        if (failed.isEmpty()) {
            return;
        }
        if (noneSent(failed)) {
            PendingMessage first = failed.getFirst().message();
            log.warn("Could not publish {} event(s), first signupId={} eventId={}: {}; retrying in {} ms",
                    failed.size(), first.signupId(), first.id(), failed.getFirst().reason(),
                    properties.backoffAfter(first.attempts() + 1).toMillis());
            return;
        }
        for (PublishOutcome outcome : failed) {
            PendingMessage message = outcome.message();
            String retry = "attempt " + (message.attempts() + 1) + ", retrying in "
                    + properties.backoffAfter(message.attempts() + 1).toMillis() + " ms";
            TraceParents.inLogs(message.traceparent(), () -> {
                if (outcome.result() == PublishOutcome.Result.RETURNED) {
                    log.error("TOPOLOGY ERROR: {} signupId={} eventId={} {}; {}", message.type(), message.signupId(),
                            message.id(), outcome.reason(), retry);
                } else {
                    log.warn("Publish of {} signupId={} eventId={} failed: {}; {}", message.type(),
                            message.signupId(), message.id(), outcome.reason(), retry);
                }
            });
        }
    }
}
