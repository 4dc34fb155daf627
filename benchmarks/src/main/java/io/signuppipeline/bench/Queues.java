package io.signuppipeline.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.testing.ServicePipeline;
import io.signuppipeline.testing.TestServices;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The depth of each worker's queue, read with a passive declaration over AMQP: exact and current,
 * where the management API's figures are refreshed only every few seconds.
 */
final class Queues implements AutoCloseable {

    private final Connection connection;

    Queues(TestServices.RabbitMq rabbitMq) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(rabbitMq.host());
        factory.setPort(rabbitMq.port());
        factory.setUsername(rabbitMq.username());
        factory.setPassword(rabbitMq.password());
        factory.setVirtualHost(rabbitMq.virtualHost());
        try {
            connection = factory.newConnection("benchmark");
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("Cannot connect to RabbitMQ at " + rabbitMq.host(), e);
        }
    }

    static String workerQueue(String worker) {
        return SignupTopology.workQueue(worker);
    }

    /** Messages ready in each worker's queue, by worker, and in the API's step-results queue. */
    synchronized Map<String, Long> ready() {
        Map<String, Long> ready = new LinkedHashMap<>();
        try (Channel channel = connection.createChannel()) {
            for (String worker : ServicePipeline.WORKERS) {
                ready.put(worker, (long) channel.queueDeclarePassive(workerQueue(worker)).getMessageCount());
            }
            ready.put("signup-api (step results)",
                    (long) channel.queueDeclarePassive(SignupTopology.STEP_RESULTS_QUEUE).getMessageCount());
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("Cannot read the queues' depth", e);
        }
        return ready;
    }

    /**
     * Empties the four worker queues, answering how many messages went: the events of signups sent
     * only to measure the API, which no measurement needs processed.
     */
    synchronized long purgeWorkerQueues() {
        long purged = 0;
        try (Channel channel = connection.createChannel()) {
            for (String worker : ServicePipeline.WORKERS) {
                purged += channel.queuePurge(workerQueue(worker)).getMessageCount();
            }
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("Cannot purge the worker queues", e);
        }
        return purged;
    }

    /** The broker's version, as it announced itself on connecting. */
    String brokerVersion() {
        return String.valueOf(connection.getServerProperties().get("version"));
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (IOException e) {
            // Closing: nothing left to read.
        }
    }
}
