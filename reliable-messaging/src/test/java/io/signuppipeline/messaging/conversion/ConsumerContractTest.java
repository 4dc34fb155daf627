package io.signuppipeline.messaging.conversion;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.contract.EventContract;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.support.converter.SmartMessageConverter;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.ResolvableType;

/**
 * The consumer side of every contract: the converter all listeners use reads each fixture, as the
 * broker delivers it, into its payload record, and ignores fields added later.
 */
class ConsumerContractTest {

    private final SmartMessageConverter converter =
            (SmartMessageConverter) new EventConversionAutoConfiguration().eventMessageConverter();

    static Stream<EventContract<?>> contracts() {
        return EventContract.all();
    }

    @ParameterizedTest
    @MethodSource("contracts")
    <T> void listenersReadTheEventAsTheContractDescribesIt(EventContract<T> contract) {
        contract.assertConsumable(body -> receive(body, contract));
    }

    @SuppressWarnings("unchecked")
    private <T> CloudEvent<T> receive(byte[] body, EventContract<T> contract) {
        Message message = MessageBuilder.withBody(body)
                .setContentType(CloudEvent.CONTENT_TYPE)
                .setType(contract.expected().type())
                .build();
        return (CloudEvent<T>) converter.fromMessage(message, ParameterizedTypeReference.forType(
                ResolvableType.forClassWithGenerics(CloudEvent.class, contract.dataType()).getType()));
    }
}
