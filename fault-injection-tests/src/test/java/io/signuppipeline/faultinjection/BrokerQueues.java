package io.signuppipeline.faultinjection;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.testing.ServicePipeline;
import io.signuppipeline.testing.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Looks into the run's vhost over AMQP: how many messages are parked in the dead-letter queues and
 * what they say, how many consumers a queue has; and publishes to the exchange as any client could. A passive declaration answers exactly and at once, where the
 * management API lags by its statistics interval.
 */
final class BrokerQueues {

    /** The suffix reliable-messaging's {@code ConsumerQueue.deadLetterQueue()} gives a service's queue. */
    private static final String PARKED = ".dlq";

    private final ConnectionFactory connections = new ConnectionFactory();
    /** A cluster's nodes, any of which may answer; empty for the one broker of {@code rabbitMq}. */
    private final List<Address> nodes;

    BrokerQueues(TestServices.RabbitMq rabbitMq) {
        this(rabbitMq, List.of());
    }

    BrokerQueues(TestServices.RabbitMq rabbitMq, List<Address> nodes) {
        this.nodes = List.copyOf(nodes);
        connections.setHost(rabbitMq.host());
        connections.setPort(rabbitMq.port());
        connections.setUsername(rabbitMq.username());
        connections.setPassword(rabbitMq.password());
        connections.setVirtualHost(rabbitMq.virtualHost());
    }

    /** Every consumer queue of the pipeline: the four workers' and the signup API's step results. */
    static List<String> workQueues() {
        List<String> queues = new ArrayList<>();
        ServicePipeline.WORKERS.forEach(worker -> queues.add(workerQueue(worker)));
        queues.add(SignupTopology.STEP_RESULTS_QUEUE);
        return queues;
    }

    static String workerQueue(String worker) {
        return SignupTopology.queue(worker, "user-signed-up");
    }

    /** Messages waiting in all the pipeline's dead-letter queues together. */
    long parked() {
        long parked = 0;
        for (String queue : workQueues()) {
            parked += messages(queue + PARKED);
        }
        return parked;
    }

    /** Publishes to the signup exchange as any client could: how poison gets in. */
    void publish(String routingKey, AMQP.BasicProperties properties, byte[] body) {
        inspect(SignupTopology.EXCHANGE, channel -> {
            channel.confirmSelect();
            channel.basicPublish(SignupTopology.EXCHANGE, routingKey, properties, body);
            try {
                channel.waitForConfirmsOrDie(5_000);
            } catch (InterruptedException | TimeoutException e) {
                throw new IOException("No confirm for the message published to " + SignupTopology.EXCHANGE, e);
            }
            return null;
        });
    }

    /**
     * The messages in a queue, read without taking them: fetched unacknowledged on a channel that is
     * then closed, which returns them all to the queue.
     */
    List<GetResponse> peek(String queue) {
        return inspect(queue, channel -> {
            List<GetResponse> messages = new ArrayList<>();
            for (GetResponse message = channel.basicGet(queue, false); message != null;
                    message = channel.basicGet(queue, false)) {
                messages.add(message);
            }
            return messages;
        });
    }

    int consumers(String queue) {
        return inspect(queue, channel -> channel.queueDeclarePassive(queue).getConsumerCount());
    }

    long messages(String queue) {
        return inspect(queue, channel -> channel.queueDeclarePassive(queue).getMessageCount());
    }

    private <T> T inspect(String queue, ChannelQuery<T> query) {
        try (Connection connection = nodes.isEmpty() ? connections.newConnection("fault-injection-tests")
                : connections.newConnection(nodes, "fault-injection-tests");
                Channel channel = connection.createChannel()) {
            return query.ask(channel);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not inspect queue " + queue, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("RabbitMQ did not answer about queue " + queue, e);
        }
    }

    private interface ChannelQuery<T> {
        T ask(Channel channel) throws IOException;
    }
}
