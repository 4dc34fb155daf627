package io.signuppipeline.messaging.consumer;

import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Binds {@code messaging.consumer.*} for every service that declares a {@link ConsumerQueue}, and
 * gives every listener container built by Boot's factory the {@link ListenerFailureLog}.
 */
@AutoConfiguration
@EnableConfigurationProperties(ConsumerProperties.class)
public class ConsumerAutoConfiguration {

    @Bean
    ContainerCustomizer<SimpleMessageListenerContainer> listenerFailureLog() {
        return container -> container.setErrorHandler(new ListenerFailureLog());
    }
}
