package io.signuppipeline.faultinjection;

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
 * far, so a scenario injects its fault at a chosen point of the load instead of at a guessed time.
 */
final class LoadRun {

    private final SignupClient client;
    private final Cohort cohort;
    private final SignupAttempt[] attempts;
    private final CountDownLatch answered;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();

    private LoadRun(SignupClient client, Cohort cohort, int count) {
        this.client = client;
        this.cohort = cohort;
        this.attempts = new SignupAttempt[count];
        this.answered = new CountDownLatch(count);
    }

    /** Sends {@code count} signups with at most {@code inFlight} requests waiting at any time. */
    static LoadRun burst(SignupClient client, Cohort cohort, int count, int inFlight) {
        LoadRun run = new LoadRun(client, cohort, count);
        Semaphore slots = new Semaphore(inFlight);
        Thread.ofVirtual().name("burst-" + cohort.slug()).start(() -> {
            for (int i = 0; i < count; i++) {
                slots.acquireUninterruptibly();
                int index = i;
                Thread.ofVirtual().start(() -> {
                    try {
                        run.send(index);
                    } finally {
                        slots.release();
                    }
                });
            }
        });
        return run;
    }

    /**
     * Sends {@code count} signups at {@code perSecond}, whatever the answers: an open load, as from
     * independent users, so a slow API gathers requests in flight instead of slowing the load down.
     */
    static LoadRun steady(SignupClient client, Cohort cohort, int count, int perSecond) {
        LoadRun run = new LoadRun(client, cohort, count);
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger next = new AtomicInteger();
        ticks.scheduleAtFixedRate(() -> {
            int index = next.getAndIncrement();
            if (index >= count) {
                ticks.shutdown();
                return;
            }
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

    /** Waits until every request has its answer (or its timeout), and answers them in order sent. */
    List<SignupAttempt> join(Duration atMost) {
        try {
            if (!answered.await(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(cohort.slug() + ": " + answered.getCount()
                        + " requests still unanswered after " + Narrator.human(atMost));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the load", e);
        }
        return Arrays.asList(attempts);
    }

    private void send(int index) {
        sent.incrementAndGet();
        SignupAttempt attempt = client.signUp(cohort.email(index), cohort.name(index));
        if (attempt.created()) {
            created.incrementAndGet();
        }
        attempts[index] = attempt;
        answered.countDown();
    }
}
