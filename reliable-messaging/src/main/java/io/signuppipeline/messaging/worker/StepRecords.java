package io.signuppipeline.messaging.worker;

import io.micrometer.observation.Observation;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupStepFailed;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.messaging.consumer.Outages;
import io.signuppipeline.messaging.outbox.Outbox;
import io.signuppipeline.messaging.outbox.OutboxEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one transaction of a batch: the inbox rows of the events whose calls succeeded, the step's
 * record of their effects, their result events, the failure events of those being parked, and the
 * end of the called events' claims.
 * The inbox decides: an event another delivery recorded first is left out, so its effect and
 * result are never written twice.
 */
class StepRecords<R> {

    private static final Logger log = LoggerFactory.getLogger(StepListener.class);
    private static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    private final SignupStep<R> step;
    private final Inbox inbox;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final Duration patience;

    StepRecords(SignupStep<R> step, Inbox inbox, Outbox outbox, TransactionTemplate transactions,
            Duration patience) {
        this.step = step;
        this.inbox = inbox;
        this.outbox = outbox;
        this.transactions = transactions;
        this.patience = patience;
    }

    /**
     * Records the called deliveries and the parked ones that carry a signup, and decides the called
     * ones: done, or duplicate when another delivery of the event won. While the worker's database is
     * away it tries again every second, for up to {@code patience}: the calls have been made, and
     * their messages sent back to the queue would make them again (another email, another Slack post).
     */
    void record(List<Delivery> called, List<Delivery> parked) {
        // One order for every batch, so that two batches holding the same events never deadlock.
        List<Delivery> ordered = called.stream().sorted(Comparator.comparing(Delivery::eventId)).toList();
        long deadline = System.nanoTime() + patience.toNanos();
        Set<UUID> won;
        for (int attempt = 1; ; attempt++) {
            try {
                won = transactions.execute(status -> recordOnce(ordered, parked));
                break;
            } catch (RuntimeException failure) {
                if (!Outages.causedBy(failure) || System.nanoTime() >= deadline) {
                    throw failure;
                }
                if (attempt == 1) {
                    log.warn("{} could not record {} event(s) whose calls were made ({}); trying again for up to {} s",
                            step.name(), ordered.size() + parked.size(), Failures.describe(failure),
                            patience.toSeconds());
                }
                LockSupport.parkNanos(RETRY_EVERY.toNanos());
            }
        }
        Set<UUID> recorded = Objects.requireNonNull(won);
        ordered.forEach(delivery -> delivery.decide(recorded.contains(delivery.eventId())
                ? new Fate.Done(detail(delivery), delivery.downstreamMillis())
                : new Fate.Duplicate(delivery.downstreamMillis())));
    }

    /** In the transaction: answers the events marked processed now. */
    private Set<UUID> recordOnce(List<Delivery> ordered, List<Delivery> parked) {
        Set<UUID> won = inbox.add(ordered);
        List<Delivery> done = ordered.stream().filter(delivery -> won.contains(delivery.eventId())).toList();
        recordEffects(done);
        // Events of one kind side by side, so that the relay can send each kind as one message. Their
        // ids are time-ordered and the relay claims rows in id order, so it is the order of creation
        // that counts: all the completions are made before any further event, in two loops.
        List<OutboxEntry> events = new ArrayList<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (Delivery delivery : done) {
            inTrace(delivery, () -> events.add(completion(delivery, now)));
        }
        for (Delivery delivery : done) {
            inTrace(delivery, () -> events.addAll(publications(delivery)));
        }
        for (Delivery delivery : parked) {
            inTrace(delivery, () -> events.add(failure(delivery, now)));
        }
        outbox.append(events);
        // Recorded, by this delivery or by the one that won: their claims go with the same commit.
        inbox.release(ordered.stream().map(Delivery::eventId).toList());
        return won;
    }

    private void recordEffects(List<Delivery> done) {
        if (!done.isEmpty()) {
            step.record(done.stream().map(delivery -> new Effect<>(delivery.event(), result(delivery))).toList());
        }
    }

    private String detail(Delivery delivery) {
        return step.detail(result(delivery));
    }

    private OutboxEntry completion(Delivery delivery, Instant now) {
        return outbox.entry(SignupStepCompleted.TYPE, new SignupStepCompleted(delivery.signupId(), step.name(),
                now, delivery.downstreamMillis(), detail(delivery), delivery.earlierClaim() != null),
                delivery.signupId(), SignupTopology.STEP_COMPLETED);
    }

    /** The further events the step names for the delivery, such as the fraud check's assessment. */
    private List<OutboxEntry> publications(Delivery delivery) {
        return step.publications(delivery.event(), result(delivery)).stream()
                .map(publication -> outbox.entry(publication.type(), publication.data(), delivery.signupId(),
                        publication.routingKey()))
                .toList();
    }

    /** What this step's own call produced for the delivery. */
    @SuppressWarnings("unchecked")
    private R result(Delivery delivery) {
        return (R) delivery.result();
    }

    private OutboxEntry failure(Delivery delivery, Instant now) {
        Fate.Parked parked = (Fate.Parked) delivery.fate();
        return outbox.entry(SignupStepFailed.TYPE, new SignupStepFailed(delivery.signupId(), step.name(), now,
                parked.attempts(), parked.reason() + ": " + Failures.describe(parked.failure())),
                delivery.signupId(), SignupTopology.STEP_FAILED);
    }

    /** Runs in the delivery's span, so that the events it writes continue the signup's trace. */
    private static void inTrace(Delivery delivery, Runnable work) {
        try (Observation.Scope scope = delivery.observation().openScope()) {
            work.run();
        }
    }
}
