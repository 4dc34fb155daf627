package io.signuppipeline.messaging.consumer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Binds {@code messaging.consumer.*} for every service that declares a {@link ConsumerQueue}.
 */
@AutoConfiguration
@EnableConfigurationProperties(ConsumerProperties.class)
public class ConsumerAutoConfiguration {
}
