package io.signuppipeline.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fraud API, Stripe and Slack as the benchmark's downstreams: a plain HTTP server (the JDK's),
 * answering every request as WireMock answers it from {@code mocks/}.
 *
 * <p>WireMock matches each request against JSONPath patterns and renders Handlebars templates: in a
 * burst it took about 1.7 ms of CPU per request, more than the worker that made the request, so the
 * benchmark measured the mock. This server does the same over real sockets, with what the mappings
 * do written out in Java; {@code DownstreamStandInTest} sends the same requests to both and
 * compares the answers.
 */
final class DownstreamStandIn implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern REJECT = Pattern.compile(".*\\+reject@.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern REVIEW = Pattern.compile(".*\\+review@.*", Pattern.CASE_INSENSITIVE);

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, int[]> latency = new HashMap<>();

    private DownstreamStandIn(HttpServer server) {
        this.server = server;
    }

    /** Starts the server on a free loopback port, answering at once. */
    static DownstreamStandIn start() {
        // The workers keep a connection per call in flight: up to 200 each. The JDK's server would close
        // all but 200 idle connections in all, and the workers' next requests on them would fail.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "2000");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1_000);
            DownstreamStandIn standIn = new DownstreamStandIn(server);
            server.createContext("/fraud/score", exchange -> standIn.answer(exchange, "/fraud/", standIn::score));
            server.createContext("/stripe/v1/customers", exchange -> standIn.answer(exchange, "/stripe/",
                    standIn::customer));
            server.createContext("/slack/webhook", exchange -> standIn.answer(exchange, "/slack/", standIn::post));
            server.setExecutor(standIn.threads);
            server.start();
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Delays the answers under a path prefix by a uniform random time, as {@code mocks/lesson-latency.json} says. */
    void delay(String pathPrefix, int lowerMillis, int upperMillis) {
        latency.put(pathPrefix, new int[] {lowerMillis, upperMillis});
    }

    /** {@code fraud-score-*.json}: +reject and +review addresses by their tag, every other one approved. */
    private Answer score(HttpExchange exchange, byte[] body) {
        JsonNode email = JSON.readTree(body).path("email");
        if (!email.isString()) {
            return Answer.NOT_MATCHED;
        }
        String address = email.asString();
        if (REJECT.matcher(address).matches()) {
            return Answer.json("{\"score\":92,\"decision\":\"REJECT\"}");
        }
        if (REVIEW.matcher(address).matches()) {
            return Answer.json("{\"score\":64,\"decision\":\"REVIEW\"}");
        }
        return Answer.json("{\"score\": " + address.length() % 30 + ", \"decision\": \"APPROVE\"}");
    }

    /** {@code stripe-create-customer.json}: the customer id comes from the Idempotency-Key. */
    private Answer customer(HttpExchange exchange, byte[] body) {
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key == null || key.isEmpty()) {
            return Answer.NOT_MATCHED;
        }
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        exchange.getResponseHeaders().add("Request-Id", "req_" + UUID.randomUUID().toString().replace("-", "")
                .substring(0, 14));
        return Answer.json(("{\"id\": \"cus_%s\", \"object\": \"customer\", \"email\": \"%s\", \"name\": \"%s\", "
                + "\"created\": %d, \"livemode\": false, \"metadata\": {}}").formatted(
                        key.toLowerCase(Locale.ROOT).replace("-", ""), form.getOrDefault("email", ""),
                        form.getOrDefault("name", ""), Instant.now().getEpochSecond()));
    }

    /** {@code slack-webhook.json}: a message with a text is taken. */
    private Answer post(HttpExchange exchange, byte[] body) {
        return JSON.readTree(body).has("text") ? new Answer(200, "text/plain", "ok") : Answer.NOT_MATCHED;
    }

    private void answer(HttpExchange exchange, String path, Responder responder) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Answer answer = "POST".equals(exchange.getRequestMethod()) ? responder.answer(exchange, body)
                    : Answer.NOT_MATCHED;
            int[] delay = latency.get(path);
            if (delay != null) {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(delay[0], delay[1] + 1) * 1_000_000L);
            }
            byte[] content = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), content.length);
            exchange.getResponseBody().write(content);
        } catch (RuntimeException e) {
            exchange.sendResponseHeaders(500, -1);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    @FunctionalInterface
    private interface Responder {
        Answer answer(HttpExchange exchange, byte[] body);
    }

    private record Answer(int status, String contentType, String body) {

        static final Answer NOT_MATCHED = new Answer(404, "text/plain", "No response could be served");

        static Answer json(String body) {
            return new Answer(200, "application/json", body);
        }
    }
}
