package io.signuppipeline.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits between measurements, until the pipeline has done what a measurement left it, read from the
 * {@link Ledger} and the broker's queues; each answers whether that came within its limit.
 */
final class PipelineWaits {

    private PipelineWaits() {
    }

    /**
     * Until every worker has been quiet for a second: nothing waiting in any of the pipeline's
     * queues, and no worker's count of processed signups moving.
     */
    static boolean settled(Ledger ledger, Queues queues, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        Map<String, Long> before = ledger.processed();
        while (System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            Map<String, Long> now = ledger.processed();
            if (now.equals(before) && queues.ready().values().stream().allMatch(ready -> ready == 0)) {
                return true;
            }
            before = now;
        }
        return false;
    }

    /** Until the API's outbox has published every event. */
    static boolean outboxPublished(Ledger ledger, Duration limit) {
        return poll(() -> ledger.unpublished() == 0, Duration.ofMillis(200), limit);
    }

    /** Until {@code count} users of a cohort show all four steps DONE. */
    static boolean cohortDone(Ledger ledger, String cohort, int count, Duration limit) {
        return poll(() -> ledger.stepDurationSums(cohort).size() >= count, Duration.ofMillis(500), limit);
    }

    /** Asks every {@code interval} until the condition holds, at most {@code limit}. */
    private static boolean poll(BooleanSupplier condition, Duration interval, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(interval.toNanos());
        }
        return false;
    }
}
