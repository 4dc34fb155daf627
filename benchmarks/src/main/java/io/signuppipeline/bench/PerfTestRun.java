package io.signuppipeline.bench;

import io.signuppipeline.testing.TestServices;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this machine's RabbitMQ does with messages like the pipeline's and no application work:
 * RabbitMQ PerfTest, in a JVM of its own, publishing persistent messages with publisher confirms to
 * four quorum queues (one producer and one consumer each, manual acks), as the four worker queues are.
 */
final class PerfTestRun {

    private static final Pattern SENT = Pattern.compile("sending rate avg: ([0-9.]+) msg/s");
    private static final Pattern RECEIVED = Pattern.compile("receiving rate avg: ([0-9.]+) msg/s");
    /** About the size of a user.signed_up envelope. */
    private static final int MESSAGE_BYTES = 700;

    private PerfTestRun() {
    }

    /**
     * @param publishedPerSecond messages published and confirmed per second, all queues together
     * @param deliveredPerSecond messages consumed per second, all queues together
     */
    record Result(double publishedPerSecond, double deliveredPerSecond) {
    }

    static Result run(TestServices.RabbitMq rabbitMq, Duration duration) {
        String uri = "amqp://%s:%s@%s:%d/%s".formatted(rabbitMq.username(), rabbitMq.password(), rabbitMq.host(),
                rabbitMq.port(), URLEncoder.encode(rabbitMq.virtualHost(), StandardCharsets.UTF_8));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
                "com.rabbitmq.perf.PerfTest", "--uri", uri, "--quorum-queue", "--queue-pattern", "perf-test-%d",
                "--queue-pattern-from", "1", "--queue-pattern-to", "4", "--producers", "1", "--consumers", "1",
                "--flag", "persistent", "--confirm", "100", "--qos", "100", "--size", Integer.toString(MESSAGE_BYTES),
                "--time", Long.toString(duration.toSeconds()), "--auto-delete", "false");
        try {
            Process perfTest = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(perfTest.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = perfTest.waitFor();
            Matcher sent = SENT.matcher(output);
            Matcher received = RECEIVED.matcher(output);
            if (exit != 0 || !sent.find() || !received.find()) {
                throw new IllegalStateException("PerfTest failed (exit " + exit + "):\n" + output);
            }
            return new Result(Double.parseDouble(sent.group(1)), Double.parseDouble(received.group(1)));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start PerfTest", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while PerfTest ran", e);
        }
    }
}
