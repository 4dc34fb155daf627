package io.signuppipeline.messaging.worker;

import com.rabbitmq.client.GetResponse;
import java.util.List;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Takes one message from the work queue by hand and gives it to the listener, on a channel the
 * listener acknowledges it on, as a batch of one: how the circuit breaker probes while the container
 * is stopped.
 */
class ManualDelivery {

    private static final MessagePropertiesConverter PROPERTIES = new DefaultMessagePropertiesConverter();

    private final RabbitTemplate rabbit;
    private final String queue;
    private final ChannelAwareBatchMessageListener listener;

    ManualDelivery(RabbitTemplate rabbit, String queue, ChannelAwareBatchMessageListener listener) {
        this.rabbit = rabbit;
        this.queue = queue;
        this.listener = listener;
    }

    /** Handles one message; false when the queue was empty. */
    boolean handleOne() {
        return Boolean.TRUE.equals(rabbit.execute(channel -> {
            GetResponse response = channel.basicGet(queue, false);
            if (response == null) {
                return false;
            }
            listener.onMessageBatch(List.of(toMessage(response)), channel);
            return true;
        }));
    }

    /** A message taken with basic.get, as a listener container would have delivered it. */
    static Message toMessage(GetResponse response) {
        return new Message(response.getBody(),
                PROPERTIES.toMessageProperties(response.getProps(), response.getEnvelope(), "UTF-8"));
    }
}
