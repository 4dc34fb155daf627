package io.signuppipeline.messaging.worker;

import com.rabbitmq.client.GetResponse;
import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.SignupStepReplayed;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.messaging.consumer.ConsumerQueue;
import io.signuppipeline.messaging.outbox.Outbox;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves parked messages from the worker's dead-letter queue back to its work queue, once someone
 * has fixed what made them fail.
 *
 * <p>For each message: if the worker has not processed the event yet, a {@code signup.step_replayed}
 * event is committed first, so the signup's status turns PENDING before the result can arrive; then
 * the message is sent to the work queue and confirmed; only then is it removed from the dead-letter
 * queue. A crash in between leaves it in both queues, and the inbox makes the second copy a no-op.
 */
class DeadLetterReplay {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);

    private final RabbitTemplate rabbit;
    private final ConsumerQueue queue;
    private final Redelivery redelivery;
    private final Inbox inbox;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final String step;

    DeadLetterReplay(RabbitTemplate rabbit, ConsumerQueue queue, Redelivery redelivery, Inbox inbox, Outbox outbox,
            TransactionTemplate transactions, String step) {
        this.rabbit = rabbit;
        this.queue = queue;
        this.redelivery = redelivery;
        this.inbox = inbox;
        this.outbox = outbox;
        this.transactions = transactions;
        this.step = step;
    }

    /**
     * Replays up to {@code limit} parked messages, oldest first, and no more than were parked when it
     * began: a message that fails again and is parked anew waits for the next replay instead of
     * going round in this one.
     *
     * @return how many were moved
     */
    int replay(int limit) {
        Integer parkedNow = rabbit.execute(channel ->
                channel.queueDeclarePassive(queue.deadLetterQueue()).getMessageCount());
        int toMove = Math.min(limit, parkedNow == null ? 0 : parkedNow);
        int moved = 0;
        while (moved < toMove && Boolean.TRUE.equals(rabbit.execute(channel -> {
            GetResponse parked = channel.basicGet(queue.deadLetterQueue(), false);
            if (parked == null) {
                return false;
            }
            Message message = ManualDelivery.toMessage(parked);
            try {
                markPending(message);
                redelivery.replay(message);
            } catch (RuntimeException e) {
                channel.basicNack(parked.getEnvelope().getDeliveryTag(), false, true);
                throw e;
            }
            channel.basicAck(parked.getEnvelope().getDeliveryTag(), false);
            return true;
        }))) {
            moved++;
        }
        log.info("{} REPLAYED {} parked message(s) from {} to {}", step, moved, queue.deadLetterQueue(), queue.name());
        return moved;
    }

    private void markPending(Message message) {
        CloudEvent<UserSignedUp> event;
        try {
            event = Delivery.read(message);
        } catch (RuntimeException malformed) {
            return; // no signup to mark; it will be parked again unless its cause was fixed
        }
        if (inbox.contains(event.id())) {
            return; // already done: the replayed copy will be skipped as a duplicate
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        transactions.executeWithoutResult(status -> outbox.append(SignupStepReplayed.TYPE,
                new SignupStepReplayed(event.data().userId(), step, now), event.data().userId(),
                SignupTopology.STEP_REPLAYED));
        log.info("{} REPLAY signupId={} eventId={}: back to {}", step, event.data().userId(), event.id(), queue.name());
    }
}
