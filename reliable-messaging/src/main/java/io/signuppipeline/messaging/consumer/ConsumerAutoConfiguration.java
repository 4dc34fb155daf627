package io.signuppipeline.messaging.consumer;

import java.time.Duration;
import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Binds {@code messaging.consumer.*} for every service that declares a {@link ConsumerQueue}, and
 * makes every listener container built by Boot's factory heal itself: a refused login or a missing
 * queue is tried again with a backoff (Spring AMQP's default stops the container for good, leaving
 * the service alive and idle), a missing queue is declared again, failures are logged once per
 * change by {@link ConsumptionWatch}, and a listener that throws is reported by {@link ListenerFailureLog}.
 */
@AutoConfiguration
@EnableConfigurationProperties(ConsumerProperties.class)
public class ConsumerAutoConfiguration {

    /** How often the watch looks at the containers. */
    private static final Duration WATCH_EVERY = Duration.ofSeconds(2);

    @Bean
    ContainerCustomizer<SimpleMessageListenerContainer> selfHealingListeners(ConsumerProperties properties) {
        ConsumerProperties.Reconnect reconnect = properties.reconnect();
        return container -> {
            container.setErrorHandler(new ListenerFailureLog());
            container.setPossibleAuthenticationFailureFatal(false);
            container.setMissingQueuesFatal(false);
            ExponentialBackOff backOff = new ExponentialBackOff(reconnect.firstWait().toMillis(), 2);
            backOff.setMaxInterval(reconnect.longestWait().toMillis());
            container.setRecoveryBackOff(backOff);
        };
    }

    /** {@code consumers} in {@code /actuator/info}: the settings this instance consumes with. */
    @Bean
    ConsumerInfo consumerInfo(RabbitProperties rabbit, ConsumerProperties properties) {
        return new ConsumerInfo(rabbit, properties);
    }

    /** {@code consumers} in {@code /actuator/health}: DOWN while a container that should consume cannot. */
    @Bean
    ConsumptionWatch consumersHealthIndicator(ObjectProvider<SimpleMessageListenerContainer> containers,
            ConsumerProperties properties) {
        return new ConsumptionWatch(containers, WATCH_EVERY, properties.reconnect().startupGrace());
    }
}
