package io.signuppipeline.messaging.conversion;

import io.signuppipeline.events.EventJson;
import org.springframework.amqp.support.converter.JacksonJavaTypeMapper;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Reads and writes AMQP bodies with the contract's own JSON mapping, for templates and listeners alike.
 */
@AutoConfiguration(before = RabbitAutoConfiguration.class)
public class EventConversionAutoConfiguration {

    /**
     * Converts by the listener's declared parameter type, such as {@code CloudEvent<UserSignedUp>}:
     * messages carry no Java class names, so producers and consumers share a contract, not classes.
     */
    @Bean
    MessageConverter eventMessageConverter() {
        JacksonJsonMessageConverter converter = new JacksonJsonMessageConverter(EventJson.mapper());
        converter.setTypePrecedence(JacksonJavaTypeMapper.TypePrecedence.INFERRED);
        converter.setAlwaysConvertToInferredType(true);
        return converter;
    }
}
