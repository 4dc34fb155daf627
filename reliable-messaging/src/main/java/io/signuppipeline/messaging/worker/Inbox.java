package io.signuppipeline.messaging.worker;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The events this worker has processed, so a redelivered one is skipped, and the claims on those it
 * is processing, so that two deliveries of one event never call the downstream at the same time and
 * a call that may have been made before is known to be one.
 */
class Inbox {

    private final JdbcClient jdbc;
    private final Duration lease;

    /**
     * @param lease how long a claim holds before another delivery of its event may take it over: longer
     *        than a batch's calls and its recording take
     */
    Inbox(JdbcClient jdbc, Duration lease) {
        this.jdbc = jdbc;
        this.lease = lease;
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
     * Claims these events for a call, in one statement committed at once: each unclaimed, or claimed
     * by an attempt whose lease has run out. An event claimed by a lease still running is left out:
     * another delivery of it is being processed now.
     *
     * @return the events claimed now, with the time of the earlier claim taken over, if any
     */
    Map<UUID, Optional<Instant>> claim(Collection<UUID> eventIds) {
        Map<UUID, Optional<Instant>> claimed = new HashMap<>();
        jdbc.sql("""
                INSERT INTO claims (event_id, claimed_at, lease_until)
                SELECT id, now(), now() + make_interval(secs => ?) FROM unnest(?::uuid[]) AS c (id)
                ON CONFLICT (event_id) DO UPDATE
                    SET previous_claim = claims.claimed_at, claimed_at = now(), lease_until = EXCLUDED.lease_until
                    WHERE claims.lease_until < now()
                RETURNING event_id, previous_claim
                """)
                // In one order for every batch, as the record's, so that two claiming the same events never deadlock.
                .params(lease.toMillis() / 1000.0, eventIds.stream().sorted().toArray(UUID[]::new))
                .query(rs -> {
                    Timestamp previous = rs.getTimestamp("previous_claim");
                    claimed.put(rs.getObject("event_id", UUID.class),
                            Optional.ofNullable(previous).map(Timestamp::toInstant));
                });
        return claimed;
    }

    /** Lets go of the claims on these events, their effects recorded or their calls failed. */
    void release(Collection<UUID> eventIds) {
        if (!eventIds.isEmpty()) {
            jdbc.sql("DELETE FROM claims WHERE event_id = ANY(?)").params((Object) eventIds.toArray(UUID[]::new))
                    .update();
        }
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
