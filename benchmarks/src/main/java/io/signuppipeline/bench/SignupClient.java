package io.signuppipeline.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Posts signups to the API over HTTP/1.1, as browsers would, and answers the status code. */
final class SignupClient implements AutoCloseable {

    /** What {@link #signUp} answers when no answer came: a refused connection or a timeout. */
    static final int NO_ANSWER = -1;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI signups;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    SignupClient(String apiBaseUrl) {
        this.signups = URI.create(apiBaseUrl + "/api/signups");
    }

    /**
     * Signs up the {@code index}th user of a cohort, as {@code <cohort>-<index>@bench.example.com};
     * answers the status code or {@link #NO_ANSWER}.
     */
    int signUp(String cohort, long index) {
        String email = cohort + "-" + index + "@bench.example.com";
        String body = "{\"email\":\"" + email + "\",\"name\":\"Bench User " + index + "\"}";
        HttpRequest request = HttpRequest.newBuilder(signups).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return NO_ANSWER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NO_ANSWER;
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
