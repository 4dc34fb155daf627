package io.signuppipeline.api.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard's event stream as a browser's EventSource reads it: an open {@code GET
 * /dashboard/events}, parsed into named events as they arrive. Tests poll {@link #events()} with
 * Awaitility.
 */
final class EventStream implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Event> events = new ArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile String contentType;

    EventStream(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/dashboard/events"))
                .header("Accept", "text/event-stream")
                .build();
        response = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(answer -> {
            contentType = answer.headers().firstValue("Content-Type").orElse("");
            Thread.ofVirtual().name("event-stream").start(() -> read(answer.body()));
        });
    }

    private void read(Stream<String> lines) {
        try {
            parse(lines);
        } catch (RuntimeException closed) {
            // The stream was closed by the test or the server: nothing more arrives.
        }
    }

    private void parse(Stream<String> lines) {
        String name = "message";
        StringBuilder data = new StringBuilder();
        for (String line : (Iterable<String>) lines::iterator) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    add(new Event(name, JSON.readTree(data.toString())));
                }
                name = "message";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                name = line.substring("event:".length()).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring("data:".length()).strip());
            }
        }
    }

    private synchronized void add(Event event) {
        events.add(event);
    }

    /** Every event received so far, in order. */
    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** The received events with this name, in order. */
    List<JsonNode> named(String name) {
        return events().stream().filter(event -> event.name().equals(name)).map(Event::data).toList();
    }

    String contentType() {
        return contentType;
    }

    @Override
    public void close() {
        response.thenAccept(answer -> answer.body().close());
        response.cancel(true);
        http.shutdownNow();
    }

    /**
     * One server-sent event.
     *
     * @param name its {@code event:} field
     * @param data its {@code data:} field as JSON
     */
    record Event(String name, JsonNode data) {
    }
}
