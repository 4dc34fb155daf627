package io.signuppipeline.api.signup;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.signuppipeline.messaging.outbox.Outbox;
import io.signuppipeline.messaging.outbox.OutboxEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Commits the signups of concurrent POSTs a group at a time: each of a few writers takes every
 * signup waiting and writes their user rows and events in one transaction, then answers each
 * request whether its row went in. A request still gets its 201 only once its own row and event
 * have committed; what the group shares is the transaction's cost, which on two cores is most of
 * what a signup costs PostgreSQL (docs/architecture.md, "Committing signups in groups").
 */
@Component
class SignupCommits implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SignupCommits.class);

    private final Users users;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final SignupCommitsProperties properties;
    private final DistributionSummary groupSizes;
    private final BlockingQueue<PendingSignup> waiting = new LinkedBlockingQueue<>();
    private final Object admission = new Object();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running;

    SignupCommits(Users users, Outbox outbox, TransactionTemplate transactions, ApplicationEventPublisher events,
            SignupCommitsProperties properties, MeterRegistry meters) {
        this.users = users;
        this.outbox = outbox;
        this.transactions = transactions;
        this.events = events;
        this.properties = properties;
        this.groupSizes = DistributionSummary.builder("signups.commit.group")
                .description("Signups committed together in one transaction")
                .register(meters);
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
            commitGroup(List.of(signup));
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
                commitGroup(group);
                group.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void commitGroup(List<PendingSignup> group) {
        groupSizes.record(group.size());
        try {
            Set<UUID> inserted = transactions.execute(status -> insert(group));
            group.forEach(signup -> signup.inserted().complete(inserted.contains(signup.user().id())));
        } catch (DataIntegrityViolationException | PessimisticLockingFailureException e) {
            if (group.size() == 1) {
                group.getFirst().inserted().completeExceptionally(e);
                return;
            }
            // One row the database refuses, or two writers deadlocked, must not fail the others.
            log.warn("A group of {} signups did not commit ({}); committing each alone", group.size(), e.getClass().getSimpleName());
            group.forEach(signup -> commitGroup(List.of(signup)));
        } catch (RuntimeException | Error e) {
            group.forEach(signup -> signup.inserted().completeExceptionally(e));
        }
    }

    private Set<UUID> insert(List<PendingSignup> group) {
        Set<UUID> inserted = users.insertWhereEmailFree(group.stream().map(PendingSignup::user).toList());
        List<OutboxEntry> accepted = group.stream().filter(signup -> inserted.contains(signup.user().id()))
                .map(PendingSignup::event).toList();
        outbox.append(accepted);
        accepted.forEach(event -> events.publishEvent(new SignupAccepted(event.signupId())));
        return inserted;
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
