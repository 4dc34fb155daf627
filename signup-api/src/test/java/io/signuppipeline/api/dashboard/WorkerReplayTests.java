package io.signuppipeline.api.dashboard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.signuppipeline.api.AnnouncedSteps;
import io.signuppipeline.api.ApiClient;
import io.signuppipeline.api.SignupApiTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard talking to a worker at the address it announced: WireMock stands in for
 * email-worker's health and replay endpoints; fraud-worker announced no address, and notify-worker's
 * address answers nothing.
 */
@SignupApiTest
class WorkerReplayTests {

    private static final String PASSWORD = "s3cret-ü";
    private static final String REPLAY = "/admin/dead-letters/replay";
    /** HTTP Basic in UTF-8, as Spring Security on the worker decodes it. */
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
            ("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    static final WireMockServer emailWorker = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    @BeforeAll
    static void startTheMock() {
        emailWorker.start();
    }

    @AfterAll
    static void stopTheMock() {
        emailWorker.stop();
    }

    @LocalServerPort
    int port;

    ApiClient api;

    @Autowired
    ApplicationContext spring;

    @BeforeEach
    void setUp() {
        // Nothing listens on port 1: a worker that is down.
        AnnouncedSteps.announce(spring, Map.of("email-worker", emailWorker.baseUrl(),
                "notify-worker", "http://127.0.0.1:1"));
        api = new ApiClient(port);
        emailWorker.resetAll();
        emailWorker.stubFor(post(urlPathEqualTo(REPLAY)).willReturn(aResponse().withStatus(401)));
        emailWorker.stubFor(post(urlPathEqualTo(REPLAY)).withHeader("Authorization", equalTo(BASIC))
                .willReturn(okJson("{\"replayed\":3}")));
    }

    @Test
    void replayPassesTheTypedPasswordToTheWorkerAndAnswersItsCount() {
        ApiClient.Response answer = replay("email-worker", "{\"password\":\"" + PASSWORD + "\",\"limit\":50}");

        assertThat(answer.status()).as(answer.http().body()).isEqualTo(200);
        assertThat(answer.json().get("replayed").asInt()).isEqualTo(3);
        emailWorker.verify(1, postRequestedFor(urlPathEqualTo(REPLAY)).withQueryParam("limit", equalTo("50"))
                .withHeader("Authorization", equalTo(BASIC)));
    }

    @Test
    void aPasswordTheWorkerRefusesIsA403Problem() {
        ApiClient.Response answer = replay("email-worker", "{\"password\":\"wrong\"}");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("type").asString()).isEqualTo("/problems/replay-refused");
        assertThat(answer.header("WWW-Authenticate")).as("no browser login dialog").isNull();
    }

    @Test
    void aWorkerThatAnnouncedNoAddressIsA502ProblemNamingTheSetting() {
        ApiClient.Response answer = replay("fraud-worker", "{\"password\":\"" + PASSWORD + "\"}");

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.json().get("type").asString()).isEqualTo("/problems/worker-unavailable");
        assertThat(answer.json().get("detail").asString()).contains("fraud-worker announced no address", "messaging.worker.url");
    }

    @Test
    void anUnknownWorkerIsA404AndAMissingPasswordA400() {
        assertThat(replay("payroll-worker", "{\"password\":\"x\"}").status()).isEqualTo(404);
        ApiClient.Response noPassword = replay("email-worker", "{\"limit\":5}");
        assertThat(noPassword.status()).isEqualTo(400);
        assertThat(noPassword.json().get("type").asString()).isEqualTo("/problems/invalid-fields");
        emailWorker.verify(0, postRequestedFor(urlPathEqualTo(REPLAY)));
    }

    @Test
    void eachWorkersBreakerIsReadFromItsHealthUnknownWithoutAnAddressAndNoAnswerWhenItIsDown() {
        emailWorker.stubFor(get(urlPathEqualTo("/actuator/health")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"status":"DOWN","components":{"downstream":{"status":"UP",
                         "details":{"breaker":"OPEN","consuming":false,"failureRate":75.0}}}}""")));

        try (EventStream stream = new EventStream(port)) {
            JsonNode figures = await().atMost(Duration.ofSeconds(10)).until(() -> stream.named("figures"),
                    list -> !list.isEmpty()).getFirst();

            assertThat(breakerOf(figures, "email-worker")).isEqualTo("OPEN");
            assertThat(breakerOf(figures, "fraud-worker")).isEqualTo("unknown");
            assertThat(breakerOf(figures, "notify-worker")).isEqualTo("no answer");
        }
    }

    private static String breakerOf(JsonNode figures, String worker) {
        return figures.get("workers").valueStream().filter(panel -> panel.get("worker").asString().equals(worker))
                .findFirst().orElseThrow().get("breaker").asString();
    }

    private ApiClient.Response replay(String worker, String body) {
        return api.send("POST", "/dashboard/workers/" + worker + "/replay", "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }
}
