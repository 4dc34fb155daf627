package io.signuppipeline.messaging.worker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which deliveries of a batch call the downstream: the readable ones whose events this delivery
 * claimed and the inbox has not seen. Decides the fate of the rest: parked, duplicate, or waiting
 * while another delivery of the same event is at work.
 */
class StepTriage {

    private static final Logger log = LoggerFactory.getLogger(StepListener.class);

    private final Inbox inbox;
    private final DownstreamBreaker breaker;
    private final Redelivery redelivery;
    private final String step;
    private final String queue;

    StepTriage(Inbox inbox, DownstreamBreaker breaker, Redelivery redelivery, String step, String queue) {
        this.inbox = inbox;
        this.breaker = breaker;
        this.redelivery = redelivery;
        this.step = step;
        this.queue = queue;
    }

    /**
     * Parks what cannot be read, and answers the deliveries whose events still need the step: not
     * in the inbox, and the first of their event in this batch.
     */
    List<Delivery> admit(List<Delivery> batch) {
        List<Delivery> readable = new ArrayList<>();
        for (Delivery delivery : batch) {
            if (delivery.event() == null) {
                delivery.decide(new Fate.Parked("malformed or not user.signed_up", delivery.unreadable(),
                        Redelivery.attempts(delivery.message()) + 1));
            } else if (delivery.keptKillingItsConsumer(queue)) {
                delivery.decide(new Fate.Parked("delivered more often than the delivery limit: it keeps killing "
                        + "its consumer", new IllegalStateException("no answer from the consumer"),
                        Redelivery.attempts(delivery.message()) + 1));
            } else {
                readable.add(delivery);
            }
        }
        Set<UUID> seen = new HashSet<>();
        List<Delivery> firsts = new ArrayList<>();
        for (Delivery delivery : readable) {
            if (seen.add(delivery.eventId())) {
                firsts.add(delivery);
            } else {
                delivery.decide(new Fate.Duplicate(-1));
            }
        }
        return firsts.isEmpty() ? firsts : unprocessed(claim(firsts));
    }

    /**
     * Claims the events before their calls; an event claimed by a delivery still at work waits.
     *
     * @return the deliveries whose events were claimed now, in the batch's order, each with the time
     *         of an earlier claim taken over, if any
     */
    private Map<Delivery, Optional<Instant>> claim(List<Delivery> firsts) {
        Map<UUID, Optional<Instant>> claims;
        try {
            claims = inbox.claim(firsts.stream().map(Delivery::eventId).toList());
        } catch (RuntimeException claimFailed) {
            databaseAway(firsts, claimFailed);
            return Map.of();
        }
        Map<Delivery, Optional<Instant>> claimed = new LinkedHashMap<>();
        for (Delivery delivery : firsts) {
            Optional<Instant> earlier = claims.get(delivery.eventId());
            if (earlier == null) {
                delivery.decide(new Fate.Deferred("another delivery of its event is being processed"));
            } else {
                claimed.put(delivery, earlier);
            }
        }
        return claimed;
    }

    /**
     * Of the claimed events, those the inbox has not seen. The look-up comes after the claim, never
     * before it: a delivery that recorded the event let go of its claim in the same commit, so once
     * the claim is ours, that commit is visible. Looked up first, the inbox could say "not yet" just
     * before the other delivery committed, and this one would then take the freed claim and call the
     * downstream a second time.
     */
    private List<Delivery> unprocessed(Map<Delivery, Optional<Instant>> claimed) {
        if (claimed.isEmpty()) {
            return List.of();
        }
        List<Delivery> deliveries = List.copyOf(claimed.keySet());
        Set<UUID> processed;
        try {
            processed = inbox.processed(deliveries.stream().map(Delivery::eventId).toList());
        } catch (RuntimeException lookupFailed) {
            release(deliveries);
            return databaseAway(deliveries, lookupFailed);
        }
        List<Delivery> fresh = new ArrayList<>();
        List<Delivery> duplicates = new ArrayList<>();
        claimed.forEach((delivery, earlier) -> {
            if (processed.contains(delivery.eventId())) {
                delivery.decide(new Fate.Duplicate(-1));
                duplicates.add(delivery);
            } else {
                earlier.ifPresent(claimedAt -> {
                    delivery.claimedBefore(claimedAt);
                    log.warn("{} AMBIGUOUS signupId={} eventId={}: an attempt that claimed it at {} recorded "
                            + "nothing, and may have made its call; calling again", step, delivery.signupId(),
                            delivery.eventId(), claimedAt);
                });
                fresh.add(delivery);
            }
        });
        if (!duplicates.isEmpty()) {
            release(duplicates);
        }
        return fresh;
    }

    /** The database is down: no call is made, so a probe does not repeat the downstream call. */
    private List<Delivery> databaseAway(List<Delivery> deliveries, RuntimeException failure) {
        Exception counted = breaker.failedForAll(deliveries.size(), failure);
        deliveries.forEach(delivery -> delivery.decide(redelivery.after(delivery.message(), counted)));
        return List.of();
    }

    /**
     * Lets go of the claims of the deliveries whose calls failed or were never made; those of the
     * calls made went with the batch's record, in its transaction. A call made and not recorded
     * keeps its claim, so that the next attempt knows the effect may have happened.
     */
    void release(List<Delivery> claimed) {
        List<UUID> settled = claimed.stream().filter(delivery -> delivery.downstreamMillis() < 0)
                .map(Delivery::eventId).toList();
        try {
            inbox.release(settled);
        } catch (RuntimeException releaseFailed) {
            // Harmless: the failed call's next attempt waits for the lease, then reports its step
            // ambiguous, which it is not.
            log.warn("{} could not let go of {} claim(s) ({})", step, settled.size(), releaseFailed.toString());
        }
    }
}
