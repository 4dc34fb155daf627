package io.signuppipeline.api;

import io.signuppipeline.events.EventJson;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import io.signuppipeline.testing.TestServices;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A test's own queue on the signup exchange, standing in for a worker's: it sees every event
 * published with its routing key from the moment it is declared.
 */
public final class EventQueue implements AutoCloseable {

    private final RabbitAdmin admin;
    private final RabbitTemplate rabbit;
    // Not AnonymousQueue: Spring AMQP 4 gives it x-queue-leader-locator, which RabbitMQ 3.10 refuses.
    private final Queue queue = QueueBuilder.nonDurable("test-events." + UUID.randomUUID()).autoDelete().build();
    private final List<Message> seen = new ArrayList<>();

    /** A queue on its own connection straight to the broker, bypassing whatever the application uses. */
    public static EventQueue direct(TestServices.RabbitMq broker, String routingKey) {
        CachingConnectionFactory connectionFactory = new CachingConnectionFactory(broker.host(), broker.port());
        connectionFactory.setUsername(broker.username());
        connectionFactory.setPassword(broker.password());
        connectionFactory.setVirtualHost(broker.virtualHost());
        return new EventQueue(connectionFactory, routingKey);
    }

    public EventQueue(ConnectionFactory connectionFactory, String routingKey) {
        this.admin = new RabbitAdmin(connectionFactory);
        this.rabbit = new RabbitTemplate(connectionFactory);
        TopicExchange exchange = new TopicExchange(SignupTopology.EXCHANGE, true, false);
        admin.declareExchange(exchange);
        admin.declareQueue(queue);
        admin.declareBinding(BindingBuilder.bind(queue).to(exchange).with(routingKey));
    }

    /** Every message that has arrived so far for this signup; tests poll it with Awaitility. */
    public synchronized List<Message> messagesFor(UUID signupId) {
        for (Message message = rabbit.receive(queue.getName()); message != null;
                message = rabbit.receive(queue.getName())) {
            seen.add(message);
        }
        return seen.stream().filter(message -> signupIdOf(message).equals(signupId)).toList();
    }

    private static UUID signupIdOf(Message message) {
        try {
            return EventJson.read(message.getBody(), UserSignedUp.class).data().userId();
        } catch (RuntimeException e) {
            return new UUID(0, 0);
        }
    }

    @Override
    public void close() {
        admin.deleteQueue(queue.getName());
    }

}
