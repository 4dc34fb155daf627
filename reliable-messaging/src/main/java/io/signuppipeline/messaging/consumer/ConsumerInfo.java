package io.signuppipeline.messaging.consumer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;

/**
 * {@code consumers} in {@code /actuator/info}: how this instance consumes its queue, as it runs, so
 * that an operator, or the benchmark's report, reads the settings from the service rather than from
 * a copy of its defaults: how many consumers, the prefetch of each, the batch each handles at once
 * and how long it waits to fill one.
 */
class ConsumerInfo implements InfoContributor {

    /** Spring AMQP's own prefetch when Spring Boot is given none. */
    private static final int DEFAULT_PREFETCH = 250;

    private final RabbitProperties rabbit;
    private final ConsumerProperties consumer;

    ConsumerInfo(RabbitProperties rabbit, ConsumerProperties consumer) {
        this.rabbit = rabbit;
        this.consumer = consumer;
    }

    @Override
    public void contribute(Info.Builder info) {
        Map<String, Object> consumers = new LinkedHashMap<>();
        consumers.put("concurrency", ConsumerProperties.consumers(rabbit));
        consumers.put("prefetch", Objects.requireNonNullElse(rabbit.getListener().getSimple().getPrefetch(),
                DEFAULT_PREFETCH));
        consumers.put("batchSize", consumer.batchSize());
        consumers.put("batchWaitMs", consumer.batchWait().toMillis());
        info.withDetail("consumers", consumers);
    }
}
