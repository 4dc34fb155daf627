package io.signuppipeline.faultinjection;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signs users up through the API as browsers would: HTTP/1.1, one connection per request in flight.
 * Every request has a deadline, so an API that hangs shows up as a slow answer in the figures and
 * never hangs the suite.
 */
final class SignupClient implements AutoCloseable {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI signups;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    SignupClient(String apiBaseUrl) {
        this.signups = URI.create(apiBaseUrl + "/api/signups");
    }

    SignupAttempt signUp(String email, String name) {
        HttpRequest request = HttpRequest.newBuilder(signups)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("email", email, "name", name))))
                .build();
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new SignupAttempt(email, response.statusCode(), millisSince(started),
                    response.headers().firstValue("Content-Type").orElse(""), signupId(response), null);
        } catch (IOException e) {
            return new SignupAttempt(email, SignupAttempt.NO_ANSWER, millisSince(started), "", null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SignupAttempt(email, SignupAttempt.NO_ANSWER, millisSince(started), "", null, "interrupted");
        }
    }

    @Override
    public void close() {
        http.close();
    }

    private static UUID signupId(HttpResponse<String> response) {
        if (response.statusCode() != 201) {
            return null;
        }
        String location = response.headers().firstValue("Location").orElseThrow(
                () -> new IllegalStateException("201 without a Location header"));
        return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
