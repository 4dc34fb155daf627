package io.signuppipeline.messaging.outbox;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The nudges that wake the relay's thread: however many commits nudge it meanwhile, it wakes once,
 * and then lingers a moment so that the events of the transactions committing meanwhile go out in
 * the same round, rather than one round each.
 */
final class OutboxWakeUps {

    private final Semaphore nudges = new Semaphore(0);
    private final Duration linger;

    OutboxWakeUps(Duration linger) {
        this.linger = linger;
    }

    void nudge() {
        if (nudges.availablePermits() == 0) {
            nudges.release();
        }
    }

    /** Waits for a nudge or the timeout; after a nudge, lingers while {@code lingering} holds. */
    void await(Duration timeout, BooleanSupplier lingering) throws InterruptedException {
        if (nudges.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            if (!linger.isZero() && lingering.getAsBoolean()) {
                Thread.sleep(linger);
            }
            nudges.drainPermits();
        }
    }
}
