package io.signuppipeline.bench;

import io.signuppipeline.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads what a running service tells about itself on its actuator endpoints. */
final class Actuator {

    private Actuator() {
    }

    /** The body of {@code /actuator/<endpoint>}, e.g. {@code info} or {@code prometheus}. */
    static String read(HttpClient http, ServiceProcess service, String endpoint) {
        URI uri = URI.create(service.baseUrl() + "/actuator/" + endpoint);
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + uri, e);
        }
    }
}
