package io.signuppipeline.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;

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
        try {
            JsonNode latency = JSON.readTree(Files.readString(mocksDirectory().resolve("lesson-latency.json")));
            for (StubMapping stub : server.getStubMappings()) {
                String path = stub.getRequest().getUrlPath() != null ? stub.getRequest().getUrlPath()
                        : String.valueOf(stub.getRequest().getUrl());
                for (var entry : latency.properties()) {
                    if (entry.getKey().startsWith("/") && path.startsWith(entry.getKey())) {
                        stub.setResponse(ResponseDefinitionBuilder.like(stub.getResponse())
                                .withUniformRandomDelay(entry.getValue().get("lower").asInt(),
                                        entry.getValue().get("upper").asInt())
                                .build());
                        server.editStubMapping(stub);
                    }
                }
            }
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
