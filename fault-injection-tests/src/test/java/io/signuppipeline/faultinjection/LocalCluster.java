package io.signuppipeline.faultinjection;

import io.signuppipeline.testing.ServiceEnvironment;
import io.signuppipeline.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The three-node RabbitMQ cluster of {@code scripts/cluster.sh} on this machine (node N is
 * {@code rmqN@localhost}, AMQP on 568N, management on 1568N), beside the machine's own broker, which
 * it leaves alone. A cluster that already runs (someone's {@code local.sh up --cluster}) is used as
 * it is, on a vhost of this run's own, and left running; one started here is stopped again.
 */
final class LocalCluster implements AutoCloseable {

    static final List<Integer> NODES = List.of(1, 2, 3);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path script;
    private final boolean startedHere;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private LocalCluster(Path script, boolean startedHere) {
        this.script = script;
        this.startedHere = startedHere;
    }

    /** Starts the nodes that do not run, forming the cluster the first time, and waits for all three. */
    static LocalCluster up() {
        Path script = ServiceEnvironment.repositoryRoot().resolve("scripts/cluster.sh");
        boolean running = NODES.stream().allMatch(n -> Commands.succeeds("rabbitmqctl", "-q", "-n", node(n), "ping"));
        if (!running) {
            Commands.run("bash", script.toString(), "up");
        }
        Narrator.say("Cluster %s: %s", running ? "already running" : "started", String.join(", ",
                NODES.stream().map(LocalCluster::node).toList()));
        return new LocalCluster(script, !running);
    }

    static String node(int n) {
        return "rmq" + n + "@localhost";
    }

    /** Every node's AMQP address, as {@code spring.rabbitmq.addresses} takes them. */
    static String addresses() {
        return NODES.stream().map(n -> "127.0.0.1:" + (5680 + n)).collect(Collectors.joining(","));
    }

    /** A vhost of {@code name} on the cluster, made through node 1's management API, for the local {@code guest}. */
    TestServices.RabbitMq createVhost(String name) {
        return new TestServices.RabbitMq("127.0.0.1", 5681, "guest", "guest", "/", management(1)).createVhost(name);
    }

    /** kill -9 of node N's Erlang VM. */
    void kill(int n) {
        Commands.run("bash", script.toString(), "kill", String.valueOf(n));
    }

    /** Stops node N as an operator would. */
    void stop(int n) {
        Commands.run("bash", script.toString(), "stop", String.valueOf(n));
    }

    /** Starts node N again and waits until it has booted and rejoined. */
    void start(int n) {
        Commands.run("bash", script.toString(), "restart", String.valueOf(n));
    }

    /** Each queue's leader, e.g. {@code {email-worker.user-signed-up=rmq2@localhost, ...}}, as a running node sees it. */
    Map<String, String> leaders(String vhost, List<String> queues) {
        for (int n : NODES) {
            try {
                JsonNode all = get(n, "/api/queues/" + URLEncoder.encode(vhost, StandardCharsets.UTF_8)
                        + "?columns=name,leader");
                Map<String, String> leaders = new TreeMap<>();
                all.forEach(queue -> {
                    if (queues.contains(queue.path("name").asString())) {
                        leaders.put(queue.path("name").asString(), queue.path("leader").asString());
                    }
                });
                return leaders;
            } catch (IOException e) {
                // That node is down: ask the next.
            }
        }
        throw new IllegalStateException("No node of the cluster answers on its management port");
    }

    /**
     * Consumers per queue of {@code vhost}, counting only channels on nodes that run. The queue's own
     * count (a passive declaration) is no use here: a quorum queue keeps counting the consumers of a
     * node that went down, as "suspected down", until that node is back.
     */
    Map<String, Integer> liveConsumers(String vhost) {
        for (int n : NODES) {
            try {
                Map<String, Integer> consumers = new TreeMap<>();
                get(n, "/api/consumers/" + URLEncoder.encode(vhost, StandardCharsets.UTF_8)).forEach(consumer ->
                        consumers.merge(consumer.path("queue").path("name").asString(), 1, Integer::sum));
                return consumers;
            } catch (IOException e) {
                // That node is down: ask the next.
            }
        }
        throw new IllegalStateException("No node of the cluster answers on its management port");
    }

    /** The node leading the most of {@code queues}, as N. */
    int leaderOfMost(String vhost, List<String> queues) {
        Map<String, Long> led = leaders(vhost, queues).values().stream()
                .collect(Collectors.groupingBy(node -> node, Collectors.counting()));
        return IntStream.rangeClosed(1, NODES.size()).boxed()
                .max((a, b) -> Long.compare(led.getOrDefault(node(a), 0L), led.getOrDefault(node(b), 0L)))
                .orElseThrow();
    }

    /**
     * Stops the cluster if this run started it, in the background (stopping three nodes takes half
     * a minute, and nothing after this needs them gone); a cluster found running is left running.
     */
    @Override
    public void close() {
        if (!startedHere) {
            return;
        }
        Path log = Path.of("target", "cluster-down.log").toAbsolutePath();
        try {
            new ProcessBuilder("bash", script.toString(), "down").redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            Narrator.say("Stopping the cluster in the background (%s)", log);
        } catch (IOException e) {
            Narrator.say("Could not stop the cluster: %s", e);
        }
    }

    private JsonNode get(int n, String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(management(n) + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "guest:guest".getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(path + " answered " + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking " + node(n), e);
        }
    }

    private static String management(int n) {
        return "http://127.0.0.1:" + (15680 + n);
    }
}
