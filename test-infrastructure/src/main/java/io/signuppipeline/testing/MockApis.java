package io.signuppipeline.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * WireMock serving the project's own {@code mocks/} mappings (the fraud API, Stripe and Slack), the
 * same ones the local runner and compose use, on a free port and without the lesson's latency.
 */
public final class MockApis {

    private MockApis() {
    }

    /** Starts a server; the caller stops it. */
    public static WireMockServer start() {
        WireMockServer server = new WireMockServer(options()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .usingFilesUnderDirectory(mocksDirectory().toString())
                .globalTemplating(true));
        server.start();
        return server;
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
