package io.signuppipeline.faultinjection;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for a scenario's accepted signups to finish all four steps, printing progress every ten
 * seconds, and answers which did. A deadline that passes is a finding (the rest are lost), which the
 * scenario records and asserts on, not an error of the wait.
 */
final class Drain {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private Drain() {
    }

    static Set<UUID> awaitFullyProcessed(SignupLedger ledger, Cohort cohort, Set<UUID> accepted, Duration atMost) {
        long started = System.nanoTime();
        AtomicLong lastReport = new AtomicLong(started);
        AtomicReference<Set<UUID>> done = new AtomicReference<>(Set.of());
        try {
            await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                Set<UUID> processed = ledger.fullyProcessed(cohort);
                processed.retainAll(accepted);
                done.set(processed);
                if (System.nanoTime() - lastReport.get() > PROGRESS_EVERY.toNanos()) {
                    lastReport.set(System.nanoTime());
                    Narrator.say("  draining %s: %d of %d fully processed; steps DONE %s", cohort.slug(),
                            processed.size(), accepted.size(), ledger.doneByStep(cohort));
                }
                return processed.size() == accepted.size();
            });
            Narrator.say("All %d accepted %s signups fully processed, %s after the wait began", accepted.size(),
                    cohort.slug(), Narrator.human(Duration.ofNanos(System.nanoTime() - started)));
        } catch (ConditionTimeoutException e) {
            Narrator.say("Gave up after %s: %d of %d accepted %s signups fully processed", Narrator.human(atMost),
                    done.get().size(), accepted.size(), cohort.slug());
        }
        return done.get();
    }
}
