package io.signuppipeline.faultinjection;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cohort's signups being sent in the background, either as a burst (as fast as a bounded number
 * of requests in flight allows) or at a steady rate. It counts what has been sent and accepted so
 * far, so a scenario injects its fault at a chosen point of the load instead of at a guessed time,
 * and a steady load can be ended early, so a scenario whose fault takes longer than usual to set
 * up still has load before, during and after it.
 */
final class LoadRun {

    private final SignupClient client;
    private final Cohort cohort;
    private final SignupAttempt[] attempts;
    /** The cohort index of the first signup: two loads of one cohort each take their own range. */
    private final int firstIndex;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    /** One permit per request answered (or timed out). */
    private final Semaphore answered = new Semaphore(0);
    /** Counted down once no further request will be sent. */
    private final CountDownLatch sendingOver = new CountDownLatch(1);
    private volatile boolean finishing;

    private LoadRun(SignupClient client, Cohort cohort, int count, int firstIndex) {
        this.client = client;
        this.cohort = cohort;
        this.attempts = new SignupAttempt[count];
        this.firstIndex = firstIndex;
    }

    /** Sends {@code count} signups with at most {@code inFlight} requests waiting at any time. */
    static LoadRun burst(SignupClient client, Cohort cohort, int count, int inFlight) {
        LoadRun run = new LoadRun(client, cohort, count, 0);
        Semaphore slots = new Semaphore(inFlight);
        Thread.ofVirtual().name("burst-" + cohort.slug()).start(() -> {
            try {
                for (int i = 0; i < count && !run.finishing; i++) {
                    slots.acquireUninterruptibly();
                    int index = run.sent.getAndIncrement();
                    Thread.ofVirtual().start(() -> {
                        try {
                            run.send(index);
                        } finally {
                            slots.release();
                        }
                    });
                }
            } finally {
                run.sendingOver.countDown();
            }
        });
        return run;
    }

    /**
     * Sends up to {@code count} signups at {@code perSecond}, whatever the answers: an open load, as
     * from independent users, so a slow API gathers requests in flight instead of slowing the load
     * down. {@link #finish()} ends it before {@code count}.
     */
    static LoadRun steady(SignupClient client, Cohort cohort, int count, int perSecond) {
        return steady(client, cohort, count, perSecond, 0);
    }

    /** As {@link #steady(SignupClient, Cohort, int, int)}, with the cohort's signups from {@code firstIndex} on. */
    static LoadRun steady(SignupClient client, Cohort cohort, int count, int perSecond, int firstIndex) {
        LoadRun run = new LoadRun(client, cohort, count, firstIndex);
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        ticks.scheduleAtFixedRate(() -> {
            if (run.finishing || run.sent.get() >= count) {
                ticks.shutdown();
                run.sendingOver.countDown();
                return;
            }
            int index = run.sent.getAndIncrement();
            Thread.ofVirtual().start(() -> run.send(index));
        }, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
        return run;
    }

    int sent() {
        return sent.get();
    }

    int created() {
        return created.get();
    }

    /** Waits until {@code more} signups beyond those sent so far have been sent. */
    void awaitMore(int more) {
        int target = sent.get() + more;
        if (target > attempts.length) {
            throw new IllegalStateException(cohort.slug() + ": the load stops at " + attempts.length
                    + " signups, short of " + target);
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> sent.get() >= target);
    }

    /** Sends nothing more; what has been sent still gets its answer. */
    void finish() {
        finishing = true;
    }

    /**
     * Waits until the load is over and every request sent has its answer (or its timeout), and
     * answers them in the order sent.
     */
    List<SignupAttempt> join(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        try {
            if (!sendingOver.await(atMost.toMillis(), TimeUnit.MILLISECONDS)
                    || !answered.tryAcquire(sent.get(), deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(cohort.slug() + ": " + (sent.get() - answered.availablePermits())
                        + " of " + sent.get() + " requests still unanswered after " + Narrator.human(atMost));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the load", e);
        }
        return Arrays.asList(attempts).subList(0, sent.get());
    }

    private void send(int index) {
        SignupAttempt attempt = client.signUp(cohort.email(firstIndex + index), cohort.name(firstIndex + index));
        if (attempt.created()) {
            created.incrementAndGet();
        }
        attempts[index] = attempt;
        answered.release();
    }
}
