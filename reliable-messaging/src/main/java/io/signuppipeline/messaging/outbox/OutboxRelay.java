package io.signuppipeline.messaging.outbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves committed outbox rows to the broker, on one thread of its own.
 *
 * <p>It wakes when a transaction that appended an event commits, lingering a few milliseconds for
 * the commits that follow, and claims the rows those commits announced by their ids. Once every
 * poll interval, busy or idle, it also scans the table for rows that no announcement named: those a
 * crashed instance left behind, those another instance's relay did not get to, and those due for a
 * retry. A scan costs more than a claim by ids: it walks the index of unpublished rows past the
 * entries of every row deleted since the last vacuum, which a burst makes by the thousand, and it
 * was the database's costliest statement when it ran on every wake-up. A claimed batch stays locked
 * in a transaction until the broker has confirmed it, so no other instance publishes the same rows
 * meanwhile.
 *
 * <p>Rows the broker could not be reached for wait out a backoff that grows to
 * {@code messaging.outbox.max-backoff}. When the service's connection to the broker is made again
 * (the first of its consumers to reconnect makes it), the relay makes them due at once, rather than
 * leaving the signups of an outage waiting up to that long more.
 */
class OutboxRelay implements SmartLifecycle, ConnectionListener {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final OutboxPublisher publisher;
    private final OutboxSettlement settlement;
    private final TransactionTemplate transactions;
    private final OutboxProperties properties;
    private final OutboxWakeUps wakeUps;
    private final OutboxClaims claims;
    private final AtomicBoolean connectionMade = new AtomicBoolean();
    private volatile boolean running;
    private int unreachableRounds;
    private Thread thread;

    OutboxRelay(OutboxRepository repository, OutboxPublisher publisher, OutboxMetrics metrics,
            TransactionTemplate transactions, OutboxProperties properties) {
        this.publisher = publisher;
        this.settlement = new OutboxSettlement(repository, metrics, properties);
        this.transactions = transactions;
        this.properties = properties;
        this.wakeUps = new OutboxWakeUps(properties.linger());
        this.claims = new OutboxClaims(repository, properties.batchSize(), properties.pollInterval());
    }

    @TransactionalEventListener
    void on(OutboxAppended appended) {
        claims.announce(appended.ids());
        wakeUps.nudge();
    }

    /** A connection to the broker was made: at start-up, or after the broker or the network was away. */
    @Override
    public void onCreate(Connection connection) {
        connectionMade.set(true);
        wakeUps.nudge();
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::run);
    }

    @Override
    public synchronized void stop() {
        running = false;
        wakeUps.nudge();
        try {
            thread.join(properties.confirmTimeout().plusSeconds(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Starts before and stops after the listener containers (phase {@code Integer.MAX_VALUE}), so
     * the results of the last messages a worker finishes while shutting down are still published.
     */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    private void run() {
        Duration idle = properties.pollInterval();
        while (running) {
            try {
                if (connectionMade.getAndSet(false)) {
                    settlement.retryWaitingNow();
                    unreachableRounds = 0;
                    claims.scanNow();
                }
                while (running && relayBatch() && unreachableRounds == 0) {
                    // a full batch: there may be more due right now
                }
                settlement.cleanUpIfDue();
                // An instance that cannot reach the broker backs off, so instances that can claim the rows first.
                idle = unreachableRounds == 0 ? properties.pollInterval() : properties.backoffAfter(unreachableRounds);
            } catch (RuntimeException e) {
                // Usually the database is unreachable; rows stay where they are and nothing is lost.
                log.warn("Outbox relay round failed, retrying in {} ms: {}", idle.toMillis(), e.toString());
                idle = idle.multipliedBy(2).compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff()
                        : idle.multipliedBy(2);
            }
            awaitWakeUp(idle);
        }
    }

    /**
     * Claims, publishes and settles one batch, as {@link OutboxClaims} chooses it.
     *
     * @return whether the batch was full, so that more may be due right now
     */
    boolean relayBatch() {
        OutboxClaims.Round round = claims.next();
        if (round == null) {
            return false;
        }
        Integer claimed = transactions.execute(status -> {
            List<PendingMessage> batch = claims.claim(round);
            if (!batch.isEmpty()) {
                boolean unreachable = settlement.settle(publisher.publish(batch));
                unreachableRounds = unreachable ? unreachableRounds + 1 : 0;
            }
            return batch.size();
        });
        return claims.finished(round, claimed == null ? 0 : claimed);
    }

    private void awaitWakeUp(Duration timeout) {
        try {
            wakeUps.await(timeout, () -> running);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
