package io.signuppipeline.messaging.worker;

import com.rabbitmq.client.Channel;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupStepFailed;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.messaging.outbox.Outbox;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a {@link SignupStep} for each {@code user.signed_up} delivery, and acknowledges it only once
 * the outcome is safe: recorded and committed, known to be a duplicate, sent to a retry tier, or
 * parked.
 *
 * <p>Order of work, all through the circuit breaker: skip the event if the inbox has it; wait for
 * the rate limit; call the downstream with no transaction open; then in one transaction add the
 * event to the inbox, record the effect and append the result event to the outbox; commit; ack. A
 * crash anywhere before the commit leaves the message unacknowledged and it is delivered again; the
 * downstream call may then repeat, which is why calls carry an idempotency key where the downstream
 * API supports one.
 *
 * <p>When the step fails: a permanent failure parks the message at once; a transient one sends it
 * to the next retry tier, and parks it after the last; a failure while the downstream is paused
 * defers it without counting an attempt. Parking also appends a {@code signup.step_failed} event,
 * so the signup's status shows the step FAILED.
 */
class StepListener<R> implements ChannelAwareMessageListener {

    private static final Logger log = LoggerFactory.getLogger(StepListener.class);

    private final SignupStep<R> step;
    private final Inbox inbox;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final Redelivery redelivery;
    private final DownstreamBreaker breaker;
    private final RateLimiter rateLimiter;
    private final StepMetrics metrics;
    private final String queue;

    StepListener(SignupStep<R> step, Inbox inbox, Outbox outbox, TransactionTemplate transactions,
            Redelivery redelivery, DownstreamBreaker breaker, RateLimiter rateLimiter, StepMetrics metrics,
            String queue) {
        this.step = step;
        this.inbox = inbox;
        this.outbox = outbox;
        this.transactions = transactions;
        this.redelivery = redelivery;
        this.breaker = breaker;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
        this.queue = queue;
    }

    @Override
    public void onMessage(Message message, Channel channel) throws IOException {
        long started = System.nanoTime();
        long tag = message.getMessageProperties().getDeliveryTag();
        try {
            handle(message, started);
            channel.basicAck(tag, false);
        } catch (RuntimeException brokerTrouble) {
            // The copy for retry or parking was not confirmed: return the original to the queue instead.
            log.warn("{} could not hand messageId={} on ({}); returning it to the queue", step.name(),
                    message.getMessageProperties().getMessageId(), brokerTrouble.toString());
            channel.basicNack(tag, false, true);
        }
    }

    private void handle(Message message, long started) {
        CloudEvent<UserSignedUp> event;
        try {
            event = read(message);
        } catch (RuntimeException malformed) {
            redelivery.park(message, "malformed or not user.signed_up", malformed, Redelivery.attempts(message) + 1);
            metrics.outcome(StepOutcome.PARKED, millisSince(started));
            log.error("{} PARKED messageId={} after {} ms: malformed or not user.signed_up: {}", step.name(),
                    message.getMessageProperties().getMessageId(), millisSince(started), Failures.describe(malformed));
            return;
        }
        UUID signupId = event.data().userId();
        try (var s = MDC.putCloseable("signupId", signupId.toString());
                var e = MDC.putCloseable("eventId", event.id().toString())) {
            if (keptKillingItsConsumer(message)) {
                park(message, event, "delivered more often than the delivery limit: it keeps killing its consumer",
                        new IllegalStateException("no answer from the consumer"), Redelivery.attempts(message) + 1,
                        started);
                return;
            }
            try {
                Processed processed = process(event);
                metrics.outcome(processed.outcome(), millisSince(started));
                log.info("{} {} signupId={} eventId={} in {} ms{}", step.name(), processed.outcome(), signupId,
                        event.id(), millisSince(started), processed.describe());
            } catch (CallNotPermittedException | DownstreamBreaker.ProbeFailed paused) {
                redelivery.defer(message);
                metrics.outcome(StepOutcome.DEFERRED, millisSince(started));
                log.info("{} DEFERRED signupId={} eventId={}: downstream paused ({}), no attempt counted",
                        step.name(), signupId, event.id(), breaker.state());
            } catch (Exception failure) {
                failed(message, event, failure, started);
            }
        }
    }

    private void failed(Message message, CloudEvent<UserSignedUp> event, Exception failure, long started) {
        int attempts = Redelivery.attempts(message) + 1;
        if (Failures.isPermanent(failure)) {
            park(message, event, "permanent failure", failure, attempts, started);
        } else if (attempts >= redelivery.maxAttempts()) {
            park(message, event, "gave up after " + attempts + " attempts", failure, attempts, started);
        } else {
            redelivery.retry(message, attempts);
            metrics.outcome(StepOutcome.RETRY, millisSince(started));
            log.warn("{} RETRY signupId={} eventId={} attempt {}/{} failed after {} ms: {}; next attempt in {} s",
                    step.name(), event.data().userId(), event.id(), attempts, redelivery.maxAttempts(),
                    millisSince(started), Failures.describe(failure), redelivery.delayAfter(attempts).toMillis() / 1000.0);
        }
    }

    private void park(Message message, CloudEvent<UserSignedUp> event, String reason, Throwable failure, int attempts,
            long started) {
        UUID signupId = event.data().userId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        transactions.executeWithoutResult(status -> outbox.append(SignupStepFailed.TYPE,
                new SignupStepFailed(signupId, step.name(), now, attempts, reason + ": " + Failures.describe(failure)),
                signupId, SignupTopology.STEP_FAILED));
        redelivery.park(message, reason, failure, attempts);
        metrics.outcome(StepOutcome.PARKED, millisSince(started));
        log.error("{} PARKED signupId={} eventId={} after {} attempts in {} ms: {}: {}", step.name(), signupId,
                event.id(), attempts, millisSince(started), reason, Failures.describe(failure));
    }

    /**
     * The step's work, all of it inside the circuit breaker: the worker pauses when it cannot do its
     * work, whether its downstream or its own database is down. When the database is down the inbox
     * check fails first, so a probe does not repeat the downstream call.
     */
    private Processed process(CloudEvent<UserSignedUp> event) throws Exception {
        return breaker.call(() -> {
            if (inbox.contains(event.id())) {
                return new Processed(StepOutcome.DUPLICATE, -1, null);
            }
            if (rateLimiter != null) {
                RateLimiter.waitForPermission(rateLimiter);
            }
            long called = System.nanoTime();
            R result = step.on(event);
            long downstreamMillis = millisSince(called);
            metrics.downstream(downstreamMillis);
            String detail = transactions.execute(status -> record(event, result, downstreamMillis, status));
            return detail == null ? new Processed(StepOutcome.DUPLICATE, downstreamMillis, null)
                    : new Processed(StepOutcome.DONE, downstreamMillis, detail);
        });
    }

    /** In the transaction: the inbox row, the effect and the result event; null if another delivery won. */
    private String record(CloudEvent<UserSignedUp> event, R result, long downstreamMillis, TransactionStatus status) {
        if (!inbox.add(event.id(), event.data().userId(), event.type())) {
            status.setRollbackOnly(); // a concurrent delivery of the same event committed first
            return null;
        }
        String stepDetail = step.record(event, result);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        outbox.append(SignupStepCompleted.TYPE, new SignupStepCompleted(event.data().userId(), step.name(), now,
                downstreamMillis, stepDetail), event.data().userId(), SignupTopology.STEP_COMPLETED);
        return stepDetail == null ? "" : stepDetail;
    }

    /** The broker dead-lettered it from our queue because it was delivered too often without an ack. */
    private boolean keptKillingItsConsumer(Message message) {
        List<Map<String, ?>> deaths = message.getMessageProperties().getXDeathHeader();
        return deaths != null && deaths.stream().anyMatch(death -> queue.equals(death.get("queue"))
                && Objects.equals("delivery_limit", String.valueOf(death.get("reason"))));
    }

    static CloudEvent<UserSignedUp> read(Message message) {
        String messageId = message.getMessageProperties().getMessageId();
        if (messageId == null) {
            throw new IllegalArgumentException("no message_id");
        }
        CloudEvent<UserSignedUp> event = EventJson.read(message.getBody(), UserSignedUp.class);
        if (!UserSignedUp.TYPE.equals(event.type()) || event.data().userId() == null || event.data().email() == null) {
            throw new IllegalArgumentException("not a user.signed_up event with a user id and an email");
        }
        if (!messageId.equals(event.id().toString())) {
            throw new IllegalArgumentException("message_id " + messageId + " is not the event id " + event.id());
        }
        return event;
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /**
     * What one delivery came to.
     *
     * @param outcome done or duplicate
     * @param downstreamMillis the downstream call's duration, -1 when there was none
     * @param detail the step's detail, when done
     */
    private record Processed(StepOutcome outcome, long downstreamMillis, String detail) {

        String describe() {
            if (outcome == StepOutcome.DUPLICATE) {
                return downstreamMillis < 0 ? ", already processed: skipped" : ", processed concurrently: not recorded";
            }
            return " (downstream " + downstreamMillis + " ms)" + (detail.isEmpty() ? "" : " " + detail);
        }
    }
}
