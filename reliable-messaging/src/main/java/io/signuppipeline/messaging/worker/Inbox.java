package io.signuppipeline.messaging.worker;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The events this worker has processed, so a redelivered one is skipped.
 */
class Inbox {

    private final JdbcClient jdbc;

    Inbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean contains(UUID eventId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM inbox WHERE event_id = :id)").param("id", eventId)
                .query(Boolean.class).single();
    }

    /**
     * Marks the event processed, in the caller's transaction.
     *
     * @return false when another delivery of the same event got there first
     */
    boolean add(UUID eventId, UUID signupId, String type) {
        return jdbc.sql("""
                INSERT INTO inbox (event_id, signup_id, event_type) VALUES (:id, :signupId, :type)
                ON CONFLICT (event_id) DO NOTHING
                """)
                .param("id", eventId)
                .param("signupId", signupId)
                .param("type", type)
                .update() == 1;
    }
}
