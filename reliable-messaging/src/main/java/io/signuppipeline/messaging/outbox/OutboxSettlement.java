package io.signuppipeline.messaging.outbox;

import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the relay does with a batch once the broker has answered for it: published rows are deleted
 * (or marked, with a retention), the others rescheduled with their reason, and each one counted and
 * logged. Runs in the transaction that claimed the batch.
 */
class OutboxSettlement {

    /** The relay's logger: its lines are the relay's story. */
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final OutboxRepository repository;
    private final OutboxMetrics metrics;
    private final OutboxProperties properties;

    OutboxSettlement(OutboxRepository repository, OutboxMetrics metrics, OutboxProperties properties) {
        this.repository = repository;
        this.metrics = metrics;
        this.properties = properties;
    }

    /** Records the outcomes; answers whether the broker could not be reached at all. */
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
        boolean brokerUnreachable = !failed.isEmpty() && failed.size() == outcomes.size()
                && failed.stream().allMatch(outcome -> outcome.result() == PublishOutcome.Result.NOT_SENT);
        logFailures(failed);
        return brokerUnreachable;
    }

    private static void logPublished(PublishOutcome outcome) {
        PendingMessage message = outcome.message();
        log.info("Published {} signupId={} eventId={} attempt={} confirmed in {} ms", message.type(),
                message.signupId(), message.id(), message.attempts() + 1, outcome.elapsedMillis());
    }

    private void logFailures(List<PublishOutcome> failed) {
        if (failed.isEmpty()) {
            return;
        }
        if (failed.stream().allMatch(outcome -> outcome.result() == PublishOutcome.Result.NOT_SENT)) {
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
            if (outcome.result() == PublishOutcome.Result.RETURNED) {
                log.error("TOPOLOGY ERROR: {} signupId={} eventId={} {}; {}", message.type(), message.signupId(),
                        message.id(), outcome.reason(), retry);
            } else {
                log.warn("Publish of {} signupId={} eventId={} failed: {}; {}", message.type(), message.signupId(),
                        message.id(), outcome.reason(), retry);
            }
        }
    }

}
