package io.signuppipeline.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.signuppipeline.testing.MockApis;
import io.signuppipeline.testing.ServiceEnvironment;
import io.signuppipeline.testing.ServicePipeline;
import io.signuppipeline.testing.ServiceProcess;
import io.signuppipeline.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * All five services as separate processes, over real PostgreSQL and RabbitMQ, with WireMock (at the
 * lesson's latencies) for the fraud API, Stripe and Slack and GreenMail for SMTP.
 */
class SignupPipelineIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static WireMockServer mocks;
    static GreenMail smtp;
    static ServicePipeline pipeline;
    static ServiceProcess api;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startThePipeline() {
        mocks = MockApis.start();
        MockApis.applyLessonLatency(mocks);
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        pipeline = ServicePipeline.start(ServiceEnvironment.of(TestServices.get(), mocks.baseUrl(),
                smtp.getSmtp().getPort()));
        api = pipeline.api();
    }

    @AfterAll
    static void stopThePipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (mocks != null) {
            mocks.stop();
        }
    }

    @Test
    void aSignupShowsFourDoneStepsWithinTenSeconds() throws Exception {
        String email = "ada-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> created = post(email, "Ada Lovelace");
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> allDone(get(location)));

        JsonNode signup = get(location);
        assertThat(signup.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(signup.get("steps").get("fraud").get("detail").asString()).endsWith("APPROVE");
        assertThat(signup.get("steps").get("billing").get("detail").asString()).startsWith("cus_");
        assertThat(signup.get("steps").get("email").get("detail").asString())
                .isEqualTo(Arrays.stream(smtp.getReceivedMessagesForDomain(email)).findFirst().orElseThrow()
                        .getMessageID());
        assertThat(signup.get("steps").get("fraud").get("durationMs").asLong()).isGreaterThanOrEqualTo(200);
    }

    @Test
    void aRejectingFraudScoreFlagsTheUser() throws Exception {
        HttpResponse<String> created = post("mallory-" + UUID.randomUUID() + "+reject@example.com", "Mallory");
        String location = created.headers().firstValue("Location").orElseThrow();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> "FLAGGED".equals(get(location).get("status").asString()));

        assertThat(get(location).get("steps").get("fraud").get("detail").asString()).isEqualTo("score 92, REJECT");
    }

    @Test
    void oneTraceSpansTheRequestTheRelayAndEveryWorker() throws Exception {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String email = "traced-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/signups"))
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("email", email, "name", "Tracy"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        String location = created.headers().firstValue("Location").orElseThrow();
        String signupId = location.substring(location.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> allDone(get(location)));

        // Each service logs the trace id in every line (Boot's correlation pattern); a worker's DONE line
        // carrying the request's trace id means its consumer span belongs to the request's trace.
        assertThat(linesOf(api, signupId)).anySatisfy(line -> assertThat(line).contains(traceId, "Signup accepted"));
        for (ServiceProcess worker : pipeline.workers()) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(linesOf(worker, signupId))
                    .as(worker.name()).anySatisfy(line -> assertThat(line).contains(traceId, " DONE ")));
        }
    }

    /**
     * The workers yield the CPU to the API's requests: each runs at a higher nice value than the API, in
     * a session of its own, and where the kernel schedules sessions as groups (autogroup) that group
     * has the worker's nice value too; in the API's session its nice value would not count against
     * PostgreSQL's and RabbitMQ's.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void eachWorkerRunsAtALowerPriorityInASessionOfItsOwn() throws IOException {
        Scheduling ofApi = Scheduling.of(api.pid());
        for (ServiceProcess worker : pipeline.workers()) {
            Scheduling ofWorker = Scheduling.of(worker.pid());
            assertThat(ofWorker.nice()).as(worker.name() + "'s nice value").isGreaterThan(ofApi.nice());
            assertThat(ofWorker.session()).as(worker.name() + " leads its own session").isEqualTo(worker.pid());
            assertThat(ofWorker.groupNice()).as(worker.name() + "'s session's nice value")
                    .isIn(ofWorker.nice(), null);
        }
        assertThat(ofApi.session()).as("signup-api runs in the session that started it").isNotEqualTo(api.pid());
    }

    /**
     * A process's session and nice value ({@code /proc/<pid>/stat}), and its autogroup's nice value
     * ({@code /proc/<pid>/autogroup}, null where none applies).
     */
    private record Scheduling(long session, int nice, Integer groupNice) {

        private static final Pattern AUTOGROUP_LINE = Pattern.compile("/autogroup-\\d+ nice (-?\\d+)");

        static Scheduling of(long pid) throws IOException {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // After the command name in parentheses: state, ppid, pgrp, session, ... nice is the 17th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new Scheduling(Long.parseLong(fields[3]), Integer.parseInt(fields[16]), groupNiceOf(pid));
        }

        /**
         * The file is missing where the kernel has no autogroup, and empty for a process in its default
         * group: one whose session comes from init and never called setsid, as under a CI runner.
         */
        private static Integer groupNiceOf(long pid) throws IOException {
            Path autogroup = Path.of("/proc", Long.toString(pid), "autogroup");
            if (!Files.exists(autogroup)) {
                return null;
            }
            Matcher line = AUTOGROUP_LINE.matcher(Files.readString(autogroup));
            return line.find() ? Integer.valueOf(line.group(1)) : null;
        }
    }

    private static java.util.List<String> linesOf(ServiceProcess service, String signupId) throws IOException {
        try (var lines = Files.lines(service.log())) {
            return lines.filter(line -> line.contains(signupId)).toList();
        }
    }

    private static boolean allDone(JsonNode signup) {
        for (JsonNode step : signup.get("steps")) {
            if (!"DONE".equals(step.get("state").asString())) {
                return false;
            }
        }
        return true;
    }

    private static HttpResponse<String> post(String email, String name) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/signups"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("email", email, "name", name))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
