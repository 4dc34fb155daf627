package io.signuppipeline.messaging.worker;

import com.rabbitmq.client.Channel;
import io.signuppipeline.messaging.consumer.ListenerObservations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;

/**
 * Runs a {@link SignupStep} for a batch of {@code user.signed_up} deliveries, and acknowledges the
 * batch only once every delivery's outcome is safe: recorded and committed, known to be a
 * duplicate, sent to a retry tier, or parked.
 *
 * <p>Order of work: read each message (an unreadable one is parked); claim the batch's events, in
 * one statement committed at once (an event another delivery is processing waits); look the claimed
 * ones up in the inbox, in one query, and skip those processed before; call the downstream for them,
 * side by side, with no transaction open; then in one transaction add their events to the inbox,
 * record their effects and append their result events, with the failure events of those being
 * parked; commit; send the copies for retries and parking, confirmed; acknowledge the batch. A
 * crash anywhere before the acknowledgement leaves the batch unacknowledged and it is delivered
 * again; the inbox makes what was committed a duplicate, and a downstream call may repeat, which is
 * why calls carry an idempotency key where the downstream API supports one. Such a repeat is never
 * silent: the claim the crashed attempt left behind marks the step ambiguous once its lease runs out.
 *
 * <p>Each delivery keeps its own fate: a poison message is parked alone, a failed call goes to its
 * retry tier alone, and the rest of the batch commits.
 */
class StepListener implements ChannelAwareBatchMessageListener {

    private static final Logger log = LoggerFactory.getLogger(StepListener.class);

    private final StepTriage triage;
    private final StepCalls calls;
    private final StepRecords<?> records;
    private final Redelivery redelivery;
    private final DownstreamBreaker breaker;
    private final StepReport report;
    private final ListenerObservations observations;
    private final String queue;

    StepListener(StepTriage triage, StepCalls calls, StepRecords<?> records, Redelivery redelivery,
            DownstreamBreaker breaker, StepReport report, ListenerObservations observations, String queue) {
        this.triage = triage;
        this.calls = calls;
        this.records = records;
        this.redelivery = redelivery;
        this.breaker = breaker;
        this.report = report;
        this.observations = observations;
        this.queue = queue;
    }

    @Override
    public void onMessageBatch(List<Message> messages, Channel channel) {
        long started = System.nanoTime();
        List<Delivery> batch = messages.stream().map(message -> Delivery.of(message, observations.start(message)))
                .toList();
        long lastTag = messages.getLast().getMessageProperties().getDeliveryTag();
        try {
            decide(batch);
            redelivery.send(batch);
        } catch (RuntimeException brokerTrouble) {
            // A copy for retry or parking was not confirmed: return the originals to the queue instead.
            log.warn("Could not hand on {} message(s) from {} ({}); returning them to the queue", messages.size(),
                    queue, brokerTrouble.toString());
            settle(() -> channel.basicNack(lastTag, true, true));
            batch.forEach(delivery -> report.returned(delivery, brokerTrouble));
            return;
        }
        settle(() -> channel.basicAck(lastTag, true));
        long millis = (System.nanoTime() - started) / 1_000_000;
        batch.forEach(delivery -> report.settled(delivery, millis));
    }

    /** Acknowledges or returns the batch; if the channel is gone, the broker redelivers the batch anyway. */
    private static void settle(ChannelAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not settle the batch with the broker", e);
        }
    }

    @FunctionalInterface
    private interface ChannelAction {
        void run() throws IOException;
    }

    /** Decides every delivery's fate. */
    private void decide(List<Delivery> batch) {
        List<Delivery> claimed = triage.admit(batch);
        if (!claimed.isEmpty()) {
            calls.call(claimed);
        }
        record(batch, claimed);
        triage.release(claimed);
    }

    private void record(List<Delivery> batch, List<Delivery> claimed) {
        List<Delivery> called = claimed.stream().filter(Delivery::wasCalled).toList();
        List<Delivery> parked = batch.stream().filter(delivery -> delivery.event() != null
                && delivery.fate() instanceof Fate.Parked).toList();
        if (called.isEmpty() && parked.isEmpty()) {
            return;
        }
        try {
            // Never held back by the breaker: these calls have happened, and their effects must be recorded.
            records.record(called, parked);
        } catch (RuntimeException recordFailed) {
            // Nothing was recorded; not even a parking can be, so those come back later instead.
            Exception failure = breaker.failedForAll(called.size() + parked.size(), recordFailed);
            called.forEach(delivery -> delivery.decide(redelivery.after(delivery.message(), failure)));
            batch.stream().filter(delivery -> delivery.fate() instanceof Fate.Parked && delivery.event() != null)
                    .forEach(delivery -> delivery.decide(new Fate.Deferred("its failure could not be recorded: "
                            + Failures.describe(failure))));
        }
    }
}
