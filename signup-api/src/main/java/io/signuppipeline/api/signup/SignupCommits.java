package io.signuppipeline.api.signup;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Commits the signups of concurrent POSTs a group at a time: each of a few writers takes every
 * signup waiting and has {@link SignupGroups} write them in one transaction, which tells each
 * request whether its row went in. A request still gets its 201 only once its own row and event
 * have committed; what the group shares is the transaction's cost, which on two cores is most of
 * what a signup costs PostgreSQL (docs/architecture.md, "Committing signups in groups").
 */
@Component
class SignupCommits implements SmartLifecycle {

    private final SignupGroups groups;
    private final SignupCommitsProperties properties;
    private final BlockingQueue<PendingSignup> waiting = new LinkedBlockingQueue<>();
    private final Object admission = new Object();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running;

    SignupCommits(SignupGroups groups, SignupCommitsProperties properties, MeterRegistry meters) {
        this.groups = groups;
        this.properties = properties;
        Gauge.builder("signups.commit.waiting", waiting, BlockingQueue::size)
                .description("Signups whose requests wait for a writer to take them")
                .register(meters);
    }

    /**
     * Commits the signup with whatever others are waiting, and waits for it.
     *
     * @return whether its user row was inserted: false when its address is already registered
     */
    boolean commit(PendingSignup signup) {
        boolean queued;
        synchronized (admission) {
            queued = running && waiting.add(signup);
        }
        if (!queued) { // starting or stopping: no writer to hand it to
            groups.commit(List.of(signup));
        }
        try {
            return signup.inserted().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
    }

    /** A writer's loop: until stopped and nothing waits, the signups waiting, a group at a time. */
    private void write() {
        List<PendingSignup> group = new ArrayList<>(properties.groupSize());
        try {
            while (running || !waiting.isEmpty()) {
                PendingSignup first = waiting.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                waiting.drainTo(group, properties.groupSize() - 1);
                group.sort(Comparator.comparing(PendingSignup::lockOrder));
                groups.commit(group);
                group.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        synchronized (admission) {
            running = true; // first: a writer that found it false would end at once
            for (int i = 1; i <= properties.writers(); i++) {
                writers.add(Thread.ofPlatform().name("signup-commits-" + i).daemon().start(this::write));
            }
        }
    }

    /** The writers commit what is waiting, then end; a signup that comes later commits alone. */
    @Override
    public void stop() {
        synchronized (admission) {
            running = false;
        }
        for (Thread writer : writers) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        writers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Started before the web server takes requests, stopped after it has answered the last. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 4096;
    }
}
