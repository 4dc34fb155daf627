package io.signuppipeline.messaging.worker;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
        return !processed(List.of(eventId)).isEmpty();
    }

    /** Which of these events were processed before, in one query. */
    Set<UUID> processed(Collection<UUID> eventIds) {
        return new HashSet<>(jdbc.sql("SELECT event_id FROM inbox WHERE event_id = ANY(?)")
                .params((Object) eventIds.toArray(UUID[]::new))
                .query(UUID.class).list());
    }

    /**
     * Marks the deliveries' events processed, in the caller's transaction and in one statement.
     *
     * @return the events marked now; an event another delivery marked first is left out
     */
    Set<UUID> add(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return Set.of();
        }
        UUID[] eventIds = new UUID[deliveries.size()];
        UUID[] signupIds = new UUID[deliveries.size()];
        String[] types = new String[deliveries.size()];
        for (int i = 0; i < deliveries.size(); i++) {
            eventIds[i] = deliveries.get(i).eventId();
            signupIds[i] = deliveries.get(i).signupId();
            types[i] = deliveries.get(i).event().type();
        }
        return new HashSet<>(jdbc.sql("""
                INSERT INTO inbox (event_id, signup_id, event_type)
                SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::text[])
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id
                """)
                .params(eventIds, signupIds, types)
                .query(UUID.class).list());
    }
}
