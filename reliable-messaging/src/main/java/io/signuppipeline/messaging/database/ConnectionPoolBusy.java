package io.signuppipeline.messaging.database;

import java.time.Duration;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Every pooled connection stayed in use for the whole busy-pool wait while the database kept
 * accepting connections: the service has more work than its pool, and the database is not down.
 *
 * <p>Still a {@link CannotCreateTransactionException}, so that whoever treats a missing connection
 * as passing (a worker's listener, which tries the message again) goes on doing so; a caller that
 * answers a user can tell "busy" from "unavailable" by this type.
 */
public class ConnectionPoolBusy extends CannotCreateTransactionException {

    private final Duration waited;

    ConnectionPoolBusy(Duration waited, CannotCreateTransactionException lastTry) {
        super("Every database connection stayed in use for " + waited.toMillis() + " ms", lastTry);
        this.waited = waited;
    }

    /** How long the transaction asked the pool before giving up. */
    public Duration waited() {
        return waited;
    }
}
