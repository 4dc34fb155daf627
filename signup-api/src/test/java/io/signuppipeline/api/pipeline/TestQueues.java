package io.signuppipeline.api.pipeline;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import io.signuppipeline.testing.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Queues a test declares, fills and consumes from on its own connection to the broker, standing in
 * for the workers; closing deletes them.
 */
final class TestQueues implements AutoCloseable {

    private final CachingConnectionFactory connectionFactory;
    private final RabbitAdmin admin;
    private final RabbitTemplate rabbit;
    private final Connection consumerConnection;
    private final List<String> declared = new ArrayList<>();
    private final Map<String, Channel> consumers = new LinkedHashMap<>();

    TestQueues(TestServices.RabbitMq broker) {
        connectionFactory = new CachingConnectionFactory(broker.host(), broker.port());
        connectionFactory.setUsername(broker.username());
        connectionFactory.setPassword(broker.password());
        connectionFactory.setVirtualHost(broker.virtualHost());
        admin = new RabbitAdmin(connectionFactory);
        rabbit = new RabbitTemplate(connectionFactory);
        try {
            // Its own, uncached connection: closing a channel must cancel its consumer for real.
            consumerConnection = connectionFactory.getRabbitConnectionFactory().newConnection();
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Declares the queue, empty. */
    TestQueues declare(String queue) {
        admin.declareQueue(QueueBuilder.nonDurable(queue).build());
        admin.purgeQueue(queue, false);
        declared.add(queue);
        return this;
    }

    /** Declares the queue and puts this many messages in it. */
    TestQueues fill(String queue, int messages) {
        declare(queue);
        for (int i = 0; i < messages; i++) {
            rabbit.send("", queue, MessageBuilder.withBody(("message " + i).getBytes()).build());
        }
        return this;
    }

    /**
     * Subscribes a consumer that takes at most {@code holding} messages and never acknowledges
     * them, as a worker busy with them would.
     */
    TestQueues consume(String queue, int holding) {
        try {
            Channel channel = consumerConnection.createChannel();
            channel.basicQos(holding);
            channel.basicConsume(queue, false, new DefaultConsumer(channel));
            consumers.put(queue, channel);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cancels the queue's consumer, as a worker that stops would; what it held goes back to the queue. */
    void stopConsuming(String queue) {
        try {
            consumers.remove(queue).close();
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        List.copyOf(consumers.keySet()).forEach(this::stopConsuming);
        declared.forEach(admin::deleteQueue);
        try {
            consumerConnection.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        connectionFactory.destroy();
    }
}
