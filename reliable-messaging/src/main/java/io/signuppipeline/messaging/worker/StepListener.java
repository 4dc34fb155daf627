package io.signuppipeline.messaging.worker;

import com.rabbitmq.client.Channel;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.messaging.outbox.Outbox;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a {@link SignupStep} for each {@code user.signed_up} delivery, and acknowledges it only once
 * the outcome is safe: recorded and committed, known to be a duplicate, parked, or sent to retry.
 *
 * <p>Order of work: skip the event if the inbox has it; call the downstream with no transaction
 * open; then in one transaction add the event to the inbox, record the effect and append the
 * result event to the outbox; commit; ack. A crash anywhere before the commit leaves the message
 * unacknowledged and it is delivered again; the downstream call may then repeat, which is why calls
 * carry an idempotency key where the downstream API supports one.
 */
class StepListener<R> implements ChannelAwareMessageListener {

    private static final Logger log = LoggerFactory.getLogger(StepListener.class);

    private final SignupStep<R> step;
    private final Inbox inbox;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final DeadLetters deadLetters;
    private final StepMetrics metrics;
    private final Duration retryDelay;

    StepListener(SignupStep<R> step, Inbox inbox, Outbox outbox, TransactionTemplate transactions,
            DeadLetters deadLetters, StepMetrics metrics, Duration retryDelay) {
        this.step = step;
        this.inbox = inbox;
        this.outbox = outbox;
        this.transactions = transactions;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.retryDelay = retryDelay;
    }

    @Override
    public void onMessage(Message message, Channel channel) throws IOException {
        long started = System.nanoTime();
        long tag = message.getMessageProperties().getDeliveryTag();
        CloudEvent<UserSignedUp> event;
        try {
            event = read(message);
        } catch (RuntimeException e) {
            deadLetters.park(message, "malformed or not user.signed_up", e);
            channel.basicAck(tag, false);
            metrics.outcome(StepOutcome.PARKED, millisSince(started));
            log.error("{} PARKED messageId={} after {} ms: {}", step.name(),
                    message.getMessageProperties().getMessageId(), millisSince(started), e.getMessage());
            return;
        }
        UUID signupId = event.data().userId();
        try (var s = MDC.putCloseable("signupId", signupId.toString());
                var e = MDC.putCloseable("eventId", event.id().toString())) {
            try {
                Processed processed = process(event);
                channel.basicAck(tag, false);
                metrics.outcome(processed.outcome(), millisSince(started));
                log.info("{} {} signupId={} eventId={} in {} ms{}", step.name(), processed.outcome(), signupId,
                        event.id(), millisSince(started), processed.describe());
            } catch (Exception failure) {
                channel.basicNack(tag, false, false);
                metrics.outcome(StepOutcome.RETRY, millisSince(started));
                log.warn("{} RETRY signupId={} eventId={} after {} ms: {}; next attempt in {} ms", step.name(),
                        signupId, event.id(), millisSince(started), failure.toString(), retryDelay.toMillis());
            }
        }
    }

    private Processed process(CloudEvent<UserSignedUp> event) throws Exception {
        if (inbox.contains(event.id())) {
            return new Processed(StepOutcome.DUPLICATE, -1, null);
        }
        long called = System.nanoTime();
        R result = step.on(event);
        long downstreamMillis = millisSince(called);
        metrics.downstream(downstreamMillis);
        String detail = transactions.execute(status -> {
            if (!inbox.add(event.id(), event.data().userId(), event.type())) {
                status.setRollbackOnly(); // a concurrent delivery of the same event committed first
                return null;
            }
            String stepDetail = step.record(event, result);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            outbox.append(SignupStepCompleted.TYPE, new SignupStepCompleted(event.data().userId(), step.name(),
                    now, downstreamMillis, stepDetail), event.data().userId(), SignupTopology.STEP_COMPLETED);
            return stepDetail == null ? "" : stepDetail;
        });
        return detail == null ? new Processed(StepOutcome.DUPLICATE, downstreamMillis, null)
                : new Processed(StepOutcome.DONE, downstreamMillis, detail);
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
