package io.signuppipeline.messaging.conversion;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.events.contract.UserSignedUpContract;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.support.converter.SmartMessageConverter;
import org.springframework.core.ParameterizedTypeReference;

/**
 * The consumer side of the contract: the converter every worker's listener uses reads the fixture,
 * as the broker delivers it, into the payload record, and ignores fields added later.
 */
class ConsumerContractTest {

    private static final ParameterizedTypeReference<CloudEvent<UserSignedUp>> USER_SIGNED_UP =
            new ParameterizedTypeReference<>() {
            };

    private final SmartMessageConverter converter =
            (SmartMessageConverter) new EventConversionAutoConfiguration().eventMessageConverter();

    @Test
    void listenersReadUserSignedUpAsTheContractDescribesIt() {
        UserSignedUpContract.assertConsumable(this::receive);
    }

    @SuppressWarnings("unchecked")
    private CloudEvent<UserSignedUp> receive(byte[] body) {
        Message message = MessageBuilder.withBody(body)
                .setContentType(CloudEvent.CONTENT_TYPE)
                .setType(UserSignedUp.TYPE)
                .build();
        return (CloudEvent<UserSignedUp>) converter.fromMessage(message, USER_SIGNED_UP);
    }
}
