package io.signuppipeline.bench;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Sends a burst's signups as fast as the API takes them, a fixed number waiting at once, each on a
 * virtual thread of its own, and counts the answers as they come.
 */
final class BurstSender {

    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);

    private final long start = System.nanoTime();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicLong lastAnswer = new AtomicLong(start);
    private final Histogram answerMicros = new ConcurrentHistogram(HIGHEST_MICROS, 3);

    private BurstSender() {
    }

    /** Starts sending in the background and returns at once. */
    static BurstSender start(SignupClient client, String cohort, int signups, int inFlight) {
        BurstSender sender = new BurstSender();
        Semaphore waiting = new Semaphore(inFlight);
        Thread.ofVirtual().name("burst-" + cohort).start(() -> {
            for (int i = 0; i < signups; i++) {
                waiting.acquireUninterruptibly();
                long index = i;
                Thread.ofVirtual().start(() -> {
                    try {
                        sender.send(client, cohort, index);
                    } finally {
                        waiting.release();
                    }
                });
            }
        });
        return sender;
    }

    private void send(SignupClient client, String cohort, long index) {
        long sent = System.nanoTime();
        try {
            if (client.signUp(cohort, index) == 201) {
                created.incrementAndGet();
            }
        } finally {
            long now = System.nanoTime();
            answerMicros.recordValue(Math.min(HIGHEST_MICROS, (now - sent) / 1_000));
            lastAnswer.accumulateAndGet(now, Math::max);
            answered.incrementAndGet();
        }
    }

    /** When the first signup was sent, in {@link System#nanoTime()}'s terms. */
    long start() {
        return start;
    }

    int answered() {
        return answered.get();
    }

    int created() {
        return created.get();
    }

    /** From the first signup sent to the last one answered so far. */
    double acceptedSeconds() {
        return (lastAnswer.get() - start) / 1e9;
    }

    /** Each answer's time from being sent to being answered. */
    Histogram answerMicros() {
        return answerMicros;
    }
}
