package io.signuppipeline.testing;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The broker's management HTTP API, as the tests' administrator: vhosts, users and their permissions. */
final class RabbitManagement {

    private RabbitManagement() {
    }

    /** Calls the broker's management API and answers the response's body. */
    static String call(TestServices.RabbitMq rabbitMq, String method, String path, String json)
            throws ConnectException {
        String credentials = rabbitMq.username() + ":" + rabbitMq.password();
        HttpRequest request = HttpRequest.newBuilder(URI.create(rabbitMq.managementUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .build();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            boolean goneAlready = "DELETE".equals(method) && response.statusCode() == 404;
            if (response.statusCode() >= 300 && !goneAlready) {
                throw new IllegalStateException("RabbitMQ management API answered " + response.statusCode()
                        + " to " + method + " " + path + ": " + response.body());
            }
            return response.body();
        } catch (ConnectException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("RabbitMQ management API failed on " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling the RabbitMQ management API", e);
        }
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
