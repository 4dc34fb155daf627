package io.signuppipeline.api;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads the API's tables directly, to check what a request wrote or did not write.
 */
public record Rows(JdbcClient jdbc) {

    public long users() {
        return jdbc.sql("SELECT count(*) FROM users").query(Long.class).single();
    }

    public long outbox() {
        return jdbc.sql("SELECT count(*) FROM outbox").query(Long.class).single();
    }

    public long outboxFor(UUID signupId) {
        return jdbc.sql("SELECT count(*) FROM outbox WHERE signup_id = :id").param("id", signupId)
                .query(Long.class).single();
    }

    /** A field of the signup's {@code user.signed_up} event as the outbox stored it, to be published byte for byte. */
    public String eventData(UUID signupId, String field) {
        return jdbc.sql("SELECT payload::jsonb -> 'data' ->> :field FROM outbox WHERE signup_id = :id "
                        + "AND event_type = 'user.signed_up'")
                .param("field", field).param("id", signupId).query(String.class).single();
    }

    public boolean published(UUID signupId) {
        return jdbc.sql("SELECT bool_and(published_at IS NOT NULL) FROM outbox WHERE signup_id = :id")
                .param("id", signupId).query(Boolean.class).optional().orElse(false);
    }

    public int attempts(UUID signupId) {
        return jdbc.sql("SELECT coalesce(max(attempts), 0) FROM outbox WHERE signup_id = :id").param("id", signupId)
                .query(Integer.class).single();
    }

    public String lastError(UUID signupId) {
        return jdbc.sql("SELECT max(last_error) FROM outbox WHERE signup_id = :id").param("id", signupId)
                .query(String.class).optional().orElse(null);
    }
}
