package io.signuppipeline.messaging.worker;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.SignupStepAnnounced;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.messaging.consumer.Outages;
import io.signuppipeline.messaging.outbox.MandatoryRabbitTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;

/**
 * Tells whoever listens that this worker does its step of every signup: a {@code signup.step_announced}
 * event as it starts (in the listener container's phase, after the web server; the publish opens
 * the connection, which declares the worker's queue and its binding first), then again every {@code messaging.worker.announce-every}. The
 * signup API learns the steps this way and names none of them itself.
 *
 * <p>An announcement nobody takes (the broker returns it because no queue is bound yet, or the broker
 * is away) is tried again sooner, with a backoff up to the usual interval; the log says so once,
 * and once more when one gets through.
 */
class StepAnnouncer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StepAnnouncer.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);

    private final MandatoryRabbitTemplate rabbit;
    private final String step;
    private final String service;
    private final String queue;
    private final Supplier<String> url;
    private final Duration every;
    private final Instant startedAt = Instant.now();
    private volatile ScheduledExecutorService schedule;
    /** Touched by the schedule's one thread only. */
    private Duration retry = FIRST_RETRY;
    private String announcedUrl;
    private boolean failing;

    /**
     * @param url the worker's own HTTP address, read at each announcement (the port is known only
     *        once the web server has started); null for none
     */
    StepAnnouncer(MandatoryRabbitTemplate rabbit, String step, String service, String queue, Supplier<String> url,
            Duration every) {
        this.rabbit = rabbit;
        this.step = step;
        this.service = service;
        this.queue = queue;
        this.url = url;
        this.every = every;
    }

    /** Announces now, and schedules the next announcement. */
    void announce() {
        SignupStepAnnounced announced = new SignupStepAnnounced(step, service, queue, url.get(), startedAt);
        Duration next = every;
        try {
            rabbit.sendConfirmed(SignupTopology.EXCHANGE, SignupStepAnnounced.TYPE, toMessage(announced),
                    CONFIRM_TIMEOUT);
            if (failing || announcedUrl == null || !announcedUrl.equals(String.valueOf(announced.url()))) {
                log.info("Step {} ANNOUNCED on {}: queue {}, address {}; again every {} s", step,
                        SignupTopology.EXCHANGE, queue, announced.url(), every.toSeconds());
            }
            announcedUrl = String.valueOf(announced.url());
            failing = false;
            retry = FIRST_RETRY;
        } catch (RuntimeException e) {
            if (!failing) {
                // Away, the broker explains itself; a message it did not take usually found no queue bound.
                log.warn("Step {} NOT ANNOUNCED yet: {}{}; trying again with a backoff up to {} s", step,
                        NestedExceptionUtils.getMostSpecificCause(e).getMessage(),
                        Outages.causedBy(e) ? "" : " (is the signup API's queue declared?)", every.toSeconds());
            }
            failing = true;
            next = retry.compareTo(every) < 0 ? retry : every;
            retry = retry.multipliedBy(2);
        }
        ScheduledExecutorService current = schedule;
        if (current != null && !current.isShutdown()) {
            current.schedule(this::announce, next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private Message toMessage(SignupStepAnnounced announced) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        return MessageBuilder.withBody(EventJson.write(CloudEvent.of(id, "/" + service, SignupStepAnnounced.TYPE,
                        now, announced)))
                .setMessageId(id.toString())
                .setType(SignupStepAnnounced.TYPE)
                .setContentType(CloudEvent.CONTENT_TYPE)
                .setContentEncoding(StandardCharsets.UTF_8.name())
                .setTimestamp(Date.from(now))
                .setAppId(service)
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .build();
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("step-announcer").daemon().factory());
        schedule = started;
        started.execute(this::announce);
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = schedule;
        if (current != null) {
            current.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        ScheduledExecutorService current = schedule;
        return current != null && !current.isShutdown();
    }
}
