package io.signuppipeline.messaging.worker;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.signuppipeline.messaging.consumer.ConsumerQueue;
import io.signuppipeline.messaging.consumer.DeliveryHeaders;
import io.signuppipeline.messaging.consumer.Parking;
import io.signuppipeline.messaging.outbox.MandatoryRabbitTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilderSupport;

/**
 * Decides where a failed delivery goes next, and sends a copy of it there: a retry tier, or the
 * dead-letter queue. The copies of a batch are confirmed by the broker before the caller may
 * acknowledge the originals; a crash in between leaves two copies, never none.
 */
class Redelivery {

    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(15);

    private final MandatoryRabbitTemplate rabbit;
    private final ConsumerQueue queue;
    private final Parking parking;
    private final List<Duration> retryDelays;

    Redelivery(MandatoryRabbitTemplate rabbit, ConsumerQueue queue, List<Duration> retryDelays) {
        this.rabbit = rabbit;
        this.queue = queue;
        this.parking = new Parking(rabbit, queue);
        this.retryDelays = retryDelays;
    }

    /** The number of tries a message gets: the first, then one per retry tier. */
    int maxAttempts() {
        return retryDelays.size() + 1;
    }

    /** How long the message waits after its {@code attempts}-th failure. */
    Duration delayAfter(int attempts) {
        return retryDelays.get(attempts - 1);
    }

    /**
     * The fate of a delivery whose work failed: deferred when the breaker paused it (not the
     * message's fault, so no attempt counts), parked at once for a permanent failure or after the
     * last tier, otherwise the next retry tier.
     */
    Fate after(Message message, Throwable failure) {
        if (failure instanceof CallNotPermittedException || failure instanceof DownstreamBreaker.ProbeFailed) {
            return new Fate.Deferred("downstream paused");
        }
        int attempts = attempts(message) + 1;
        if (Failures.isPermanent(failure)) {
            return new Fate.Parked("permanent failure", failure, attempts);
        }
        if (attempts >= maxAttempts()) {
            return new Fate.Parked("gave up after " + attempts + " attempts", failure, attempts);
        }
        return new Fate.Retry(attempts, failure);
    }

    /**
     * Sends the copies a batch needs (retry, deferral, parking), all before awaiting any confirm.
     *
     * @throws org.springframework.amqp.AmqpException when the broker did not take one of them
     */
    void send(List<Delivery> batch) {
        List<MandatoryRabbitTemplate.Outgoing> copies = new ArrayList<>();
        for (Delivery delivery : batch) {
            Message message = delivery.message();
            switch (delivery.fate()) {
                case Fate.Retry retry -> copies.add(retry(message, retry.attempts()));
                case Fate.Deferred deferred -> copies.add(defer(message));
                case Fate.Parked parked -> copies.add(parking.parkedCopy(message, parked.reason(),
                        parked.failure().getClass(), Failures.describe(parked.failure()), parked.attempts()));
                default -> { }
            }
        }
        rabbit.sendConfirmed(copies, CONFIRM_TIMEOUT);
    }

    /** The message's failures so far. */
    static int attempts(Message message) {
        Object attempts = message.getMessageProperties().getHeader(DeliveryHeaders.ATTEMPTS);
        return attempts instanceof Number number ? number.intValue() : 0;
    }

    /** A copy for the retry tier of its {@code attempts}-th failure. */
    private MandatoryRabbitTemplate.Outgoing retry(Message message, int attempts) {
        MessageBuilderSupport<Message> copy = DeliveryHeaders.copy(message)
                .setHeader(DeliveryHeaders.ATTEMPTS, attempts);
        if (message.getMessageProperties().getHeader(DeliveryHeaders.FIRST_FAILED_AT) == null) {
            copy.setHeader(DeliveryHeaders.FIRST_FAILED_AT, Instant.now().toString());
        }
        return to(queue.retryQueue(delayAfter(attempts)), copy.build());
    }

    /** A copy for the shortest retry tier that counts no attempt. */
    private MandatoryRabbitTemplate.Outgoing defer(Message message) {
        return to(queue.retryQueue(retryDelays.getFirst()), DeliveryHeaders.copy(message).build());
    }

    /** Sends a parked message back to the work queue as if new, with every retry tier again. */
    void replay(Message parked) {
        parking.replay(parked);
    }

    private MandatoryRabbitTemplate.Outgoing to(String target, Message message) {
        return new MandatoryRabbitTemplate.Outgoing(queue.redeliveryExchange(), target, message);
    }
}
