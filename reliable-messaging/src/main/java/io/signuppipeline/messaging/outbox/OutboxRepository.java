package io.signuppipeline.messaging.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The relay's queries on the outbox table.
 */
class OutboxRepository {

    private static final String CLAIM = """
            SELECT id, signup_id, event_type, routing_key, payload, occurred_at, attempts, traceparent
            FROM outbox
            """;

    private final JdbcClient jdbc;

    OutboxRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks up to {@code limit} due rows for the caller's transaction, the oldest first. SKIP LOCKED
     * lets several instances relay at once, each claiming different rows.
     *
     * <p>It walks the index of unpublished rows in this order, past the entries of rows deleted since
     * the last vacuum (a burst deletes thousands a second), so it costs more than a look-up by ids: the
     * relay runs it only now and then and claims the rows it was told about by {@link #claimAnnounced}.
     */
    List<PendingMessage> claimDue(int limit) {
        return jdbc.sql(CLAIM + """
                WHERE published_at IS NULL AND next_attempt_at <= now()
                ORDER BY created_at, id
                LIMIT :limit
                FOR UPDATE SKIP LOCKED
                """)
                .param("limit", limit)
                .query(OutboxRepository::pending)
                .list();
    }

    /** Locks those of the rows that are still due and that no other relay holds, by their ids. */
    List<PendingMessage> claimAnnounced(Collection<UUID> ids) {
        return jdbc.sql(CLAIM + """
                WHERE id = ANY(?) AND published_at IS NULL AND next_attempt_at <= now()
                ORDER BY created_at, id
                FOR UPDATE SKIP LOCKED
                """)
                .params((Object) ids.toArray(UUID[]::new))
                .query(OutboxRepository::pending)
                .list();
    }

    private static PendingMessage pending(ResultSet rs, int row) throws SQLException {
        return new PendingMessage(
                rs.getObject("id", UUID.class),
                rs.getObject("signup_id", UUID.class),
                rs.getString("event_type"),
                rs.getString("routing_key"),
                rs.getString("payload"),
                rs.getTimestamp("occurred_at").toInstant(),
                rs.getInt("attempts"),
                rs.getString("traceparent"));
    }

    /** Keeps published rows for inspection until {@link #deletePublishedBefore} removes them. */
    void markPublished(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("UPDATE outbox SET published_at = now(), last_error = NULL WHERE id = ANY(?)")
                .params((Object) ids.toArray(UUID[]::new))
                .update();
    }

    /** Removes published rows at once, in one statement. */
    void deletePublished(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("DELETE FROM outbox WHERE id = ANY(?)").params((Object) ids.toArray(UUID[]::new)).update();
    }

    void reschedule(UUID id, Duration delay, String error) {
        jdbc.sql("""
                UPDATE outbox
                SET attempts = attempts + 1,
                    next_attempt_at = now() + :delayMillis * INTERVAL '1 millisecond',
                    last_error = :error
                WHERE id = :id
                """)
                .param("id", id)
                .param("delayMillis", delay.toMillis())
                .param("error", error)
                .update();
    }

    /** Ends the backoff of every unpublished row waiting for its next attempt. */
    int makeWaitingDue() {
        return jdbc.sql("UPDATE outbox SET next_attempt_at = now() WHERE published_at IS NULL AND next_attempt_at > now()")
                .update();
    }

    int deletePublishedBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM outbox WHERE published_at < :cutoff")
                .param("cutoff", Timestamp.from(cutoff))
                .update();
    }

    /** How long the oldest unpublished event has been waiting, if any is. */
    Optional<Duration> oldestPendingAge() {
        return jdbc.sql("SELECT EXTRACT(EPOCH FROM now() - min(created_at)) FROM outbox WHERE published_at IS NULL")
                .query(Double.class)
                .optional()
                .map(seconds -> Duration.ofMillis(Math.round(seconds * 1000)));
    }
}
