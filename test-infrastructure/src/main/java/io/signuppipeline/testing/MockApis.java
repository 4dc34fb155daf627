package io.signuppipeline.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * WireMock serving the project's own {@code mocks/} mappings (the fraud API, Stripe and Slack), the
 * same ones the local runner and compose use, on a free port and without the lesson's latency.
 */
public final class MockApis {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MockApis() {
    }

    /** Starts a server that records every request, for tests to verify; the caller stops it. */
    public static WireMockServer start() {
        return start(options());
    }

    /**
     * Starts a server that records no request: for load runs, where the journal of hundreds of
     * thousands of calls would only fill the heap. The caller stops it.
     */
    public static WireMockServer startWithoutJournal() {
        return start(options().disableRequestJournal());
    }

    private static WireMockServer start(WireMockConfiguration options) {
        WireMockServer server = new WireMockServer(options
                .dynamicPort()
                .bindAddress("127.0.0.1")
                // A worker keeps up to 200 calls in flight: delays are waited out on async threads, not
                // on Jetty's request threads, as the local runner and compose configure WireMock too.
                .containerThreads(100)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(20)
                .usingFilesUnderDirectory(mocksDirectory().toString())
                .globalTemplating(true));
        server.start();
        return server;
    }

    /**
     * Gives the mocks the lesson's downstream latencies from {@code mocks/lesson-latency.json}, the
     * way the local runner does: each matching stub gets a uniform random delay.
     */
    public static void applyLessonLatency(WireMockServer server) {
        Map<String, int[]> latency = lessonLatency();
        for (StubMapping stub : server.getStubMappings()) {
            String path = stub.getRequest().getUrlPath() != null ? stub.getRequest().getUrlPath()
                    : String.valueOf(stub.getRequest().getUrl());
            latency.forEach((prefix, millis) -> {
                if (path.startsWith(prefix)) {
                    stub.setResponse(ResponseDefinitionBuilder.like(stub.getResponse())
                            .withUniformRandomDelay(millis[0], millis[1]).build());
                    server.editStubMapping(stub);
                }
            });
        }
    }

    /**
     * The lesson's downstream latencies from {@code mocks/lesson-latency.json}: per path prefix, the
     * lower and upper bound in milliseconds.
     */
    public static Map<String, int[]> lessonLatency() {
        try {
            JsonNode latency = JSON.readTree(Files.readString(mocksDirectory().resolve("lesson-latency.json")));
            Map<String, int[]> byPrefix = new LinkedHashMap<>();
            for (var entry : latency.properties()) {
                if (entry.getKey().startsWith("/")) {
                    byPrefix.put(entry.getKey(), new int[] {entry.getValue().get("lower").asInt(),
                            entry.getValue().get("upper").asInt()});
                }
            }
            return byPrefix;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project's {@code mocks/} folder, found from the module a test runs in. */
    static Path mocksDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("mocks/mappings"))) {
                return dir.resolve("mocks");
            }
        }
        throw new IllegalStateException("No mocks/mappings folder above " + Path.of("").toAbsolutePath());
    }
}
