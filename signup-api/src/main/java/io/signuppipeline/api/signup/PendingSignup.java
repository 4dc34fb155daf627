package io.signuppipeline.api.signup;

import io.signuppipeline.messaging.outbox.OutboxEntry;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * A signup waiting for its group's commit: its user row, its {@code user.signed_up} event (made in
 * the request's trace), and the answer its request waits for: whether the row was inserted.
 */
record PendingSignup(User user, OutboxEntry event, CompletableFuture<Boolean> inserted) {

    PendingSignup(User user, OutboxEntry event) {
        this(user, event, new CompletableFuture<>());
    }

    /** The order in which a group inserts its rows, the same for every writer, so that no two deadlock. */
    String lockOrder() {
        return user.email().toLowerCase(Locale.ROOT);
    }
}
