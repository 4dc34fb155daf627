package io.signuppipeline.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to a running signup API over real HTTP, bytes exactly as given, so tests can send what
 * no well-behaved client library would.
 */
public final class ApiClient {

    public static final String USER_AGENT = "signup-api-tests/1.0";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final HttpClient http;
    private final Map<String, String> headers;

    public ApiClient(int port) {
        this(port, client().build());
    }

    /**
     * A client whose connections come from another loopback address, such as 127.0.0.2: to the API
     * it is another client, as a different machine would be.
     */
    public ApiClient(int port, InetAddress localAddress) {
        this(port, client().localAddress(localAddress).build());
    }

    private ApiClient(int port, HttpClient http) {
        this("http://127.0.0.1:" + port, http, Map.of());
    }

    private ApiClient(String baseUrl, HttpClient http, Map<String, String> headers) {
        this.baseUrl = baseUrl;
        this.http = http;
        this.headers = headers;
    }

    /** The same client, sending this header with every request too. */
    public ApiClient withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiClient(baseUrl, http, Map.copyOf(more));
    }

    private static HttpClient.Builder client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
    }

    public Response signUp(String email, String name) {
        return send("POST", "/api/signups", "application/json",
                JSON.writeValueAsBytes(java.util.Map.of("email", email, "name", name)));
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response send(String method, String path, String contentType, byte[] body) {
        return send(method, path, contentType, body, false);
    }

    /** Sends the body chunked, with no Content-Length, when {@code chunked} is set. */
    public Response send(String method, String path, String contentType, byte[] body, boolean chunked) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("User-Agent", USER_AGENT)
                .method(method, publisher);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        try {
            long started = System.nanoTime();
            HttpResponse<String> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response, Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * An answer and how long it took.
     *
     * @param http the raw response
     * @param took from sending to the whole body received
     */
    public record Response(HttpResponse<String> http, Duration took) {

        public int status() {
            return http.statusCode();
        }

        public String contentType() {
            return http.headers().firstValue("Content-Type").orElse("");
        }

        public String header(String name) {
            return http.headers().firstValue(name).orElse(null);
        }

        public JsonNode json() {
            return JSON.readTree(http.body());
        }
    }
}
