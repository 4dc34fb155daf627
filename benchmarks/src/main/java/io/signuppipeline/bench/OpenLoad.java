package io.signuppipeline.bench;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Signups arriving at a constant rate whatever the API does, as from independent users (an open
 * model). Each request has an intended send time on a fixed schedule, and its latency is measured
 * from that time, not from when it was actually sent: when the API stalls, the requests that
 * should have gone out meanwhile count their wait, so a stall cannot hide (no coordinated omission).
 */
final class OpenLoad {

    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);

    private OpenLoad() {
    }

    /**
     * The figures of one constant rate.
     *
     * @param rate the intended signups per second
     * @param sent requests sent
     * @param created 201 answers
     * @param errors anything else, timeouts included
     * @param latencyMicros from the intended send time to the answer, every request
     * @param achievedRate requests sent per second, as the schedule was actually kept
     */
    record Result(int rate, int sent, int created, int errors, Histogram latencyMicros, double achievedRate) {

        double percentileMillis(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1_000.0;
        }

        double maxMillis() {
            return latencyMicros.getMaxValue() / 1_000.0;
        }

        /** Whether this rate holds: no error, p99 under the limit, and the schedule kept. */
        boolean sustained() {
            return errors == 0 && percentileMillis(99) < Settings.SUSTAINED_P99.toMillis()
                    && achievedRate >= rate * 0.95;
        }
    }

    static Result run(SignupClient client, String cohort, int rate, Duration duration) {
        int count = (int) (rate * duration.toMillis() / 1_000);
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        Histogram latency = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        AtomicInteger created = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long start = System.nanoTime();
        long lastSent = start;
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                long intended = start + i * periodNanos;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                lastSent = System.nanoTime();
                long index = i;
                requests.execute(() -> {
                    int status = client.signUp(cohort, index);
                    latency.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - intended) / 1_000));
                    (status == 201 ? created : errors).incrementAndGet();
                });
            }
        }
        double sendingSeconds = Math.max(1e-9, (lastSent - start) / 1e9);
        double achieved = count <= 1 ? rate : (count - 1) / sendingSeconds;
        return new Result(rate, count, created.get(), errors.get(), latency, achieved);
    }
}
