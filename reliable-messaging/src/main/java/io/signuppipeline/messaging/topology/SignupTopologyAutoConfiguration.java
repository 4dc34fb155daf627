package io.signuppipeline.messaging.topology;

import io.signuppipeline.events.SignupTopology;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Declares the broker objects every service relies on, so each service's connection recreates them
 * on a fresh broker.
 */
@AutoConfiguration(before = RabbitAutoConfiguration.class)
public class SignupTopologyAutoConfiguration {

    @Bean
    Declarables signupEventsExchange() {
        Exchange exchange = ExchangeBuilder.topicExchange(SignupTopology.EXCHANGE).durable(true).build();
        return new Declarables(exchange);
    }
}
