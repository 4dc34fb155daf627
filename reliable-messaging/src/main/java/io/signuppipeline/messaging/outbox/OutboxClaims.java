package io.signuppipeline.messaging.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Which rows the relay claims in its next round: those announced to it by id since the last round
 * or, once every poll interval, the oldest due rows of the whole table. A scan that claims a whole
 * batch stays due, so a backlog nobody announced (after an outage) drains at full speed. Used by the
 * relay's thread only, but for {@link #announce}, which commits call.
 */
final class OutboxClaims {

    /** How many batches of announced ids are kept at most while the relay cannot keep up. */
    private static final int ANNOUNCED_BATCHES = 20;

    /**
     * One round's claim.
     *
     * @param scan whether it scans the table rather than claiming announced ids
     * @param ids the announced ids it claims; empty for a scan
     */
    record Round(boolean scan, List<UUID> ids) {
    }

    private final OutboxRepository repository;
    private final int batchSize;
    private final Duration pollInterval;
    /** Ids of rows this instance appended; bounded, the scan finds any dropped. */
    private final BlockingQueue<UUID> announced;
    private long nextScan = System.nanoTime();

    OutboxClaims(OutboxRepository repository, int batchSize, Duration pollInterval) {
        this.repository = repository;
        this.batchSize = batchSize;
        this.pollInterval = pollInterval;
        this.announced = new LinkedBlockingQueue<>(ANNOUNCED_BATCHES * batchSize);
    }

    void announce(Collection<UUID> ids) {
        for (UUID id : ids) {
            if (!announced.offer(id)) {
                break;
            }
        }
    }

    /** Makes the next round a scan, whatever was announced. */
    void scanNow() {
        nextScan = System.nanoTime();
    }

    /** The next round, or null when nothing was announced and no scan is due. */
    Round next() {
        if (System.nanoTime() - nextScan >= 0) {
            return new Round(true, List.of());
        }
        List<UUID> ids = new ArrayList<>();
        announced.drainTo(ids, batchSize);
        return ids.isEmpty() ? null : new Round(false, ids);
    }

    /** Locks the round's rows that are due and that no other relay holds, in the caller's transaction. */
    List<PendingMessage> claim(Round round) {
        return round.scan() ? repository.claimDue(batchSize) : repository.claimAnnounced(round.ids());
    }

    /** @return whether the round was full, so that more may be due right now */
    boolean finished(Round round, int claimed) {
        if (!round.scan()) {
            return round.ids().size() == batchSize;
        }
        boolean full = claimed == batchSize;
        if (!full) {
            nextScan = System.nanoTime() + pollInterval.toNanos();
        }
        return full;
    }
}
