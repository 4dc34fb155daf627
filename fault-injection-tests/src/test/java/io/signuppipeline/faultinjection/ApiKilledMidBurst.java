package io.signuppipeline.faultinjection;

import static org.awaitility.Awaitility.await;

import io.signuppipeline.testing.ServiceProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;

/**
 * signup-api dies by SIGKILL half-way through a 5,000-signup burst and is started again at once.
 * Its relay may have had a batch confirmed by the broker and not yet deleted from the outbox when
 * it died: the new process publishes those events a second time. Every worker must take a second
 * copy for the duplicate it is, and no effect may happen twice. The figures say how many duplicates
 * each worker skipped: every event published twice reaches every worker twice. The API's log gives
 * a lower bound only: the relay logs a batch after its confirm, so a batch confirmed but not yet
 * logged at the kill shows once there (the first CI run skipped 100 per worker, logged 0 twice).
 */
final class ApiKilledMidBurst implements FaultScenario {

    private static final Cohort COHORT = new Cohort("api-killed");
    private static final int SIGNUPS = 5_000;
    private static final int KILL_AT = SIGNUPS / 2;
    private static final int REQUESTS_IN_FLIGHT = 16;
    private static final Pattern PUBLISHED = Pattern.compile("Published user\\.signed_up signupId=\\S+ eventId=(\\S+)");
    private static final String SKIPPED = " DUPLICATE signupId=";

    @Override
    public String name() {
        return "kill -9 of signup-api mid-burst, then restart";
    }

    @Override
    public void run(PipelineUnderTest pipeline, FaultSummary summary) {
        long parkedBefore = pipeline.queues().parked();
        pipeline.ledger().checkpoint();
        ServiceProcess api = pipeline.services().api();
        Map<ServiceProcess, Long> logsAt = logSizes(pipeline);
        LoadRun burst = LoadRun.burst(pipeline.client(), COHORT, SIGNUPS, REQUESTS_IN_FLIGHT);
        await().atMost(Duration.ofMinutes(2)).until(() -> burst.created() >= KILL_AT);
        int acceptedAtKill = burst.created();
        Duration exited = api.kill();
        int exitCode = api.exitCode();
        api.restart();
        Duration back = api.awaitHealthy(Duration.ofSeconds(120));
        Narrator.say("SIGKILL to %s at %,d of %,d signups accepted; exited within %d ms, healthy again after %s",
                api, acceptedAtKill, SIGNUPS, exited.toMillis(), Narrator.human(back));
        List<SignupAttempt> attempts = burst.join(Duration.ofMinutes(3));
        Set<UUID> accepted = SignupAttempt.accepted(attempts);
        Set<UUID> done = Drain.awaitFullyProcessed(pipeline.ledger(), COHORT, accepted, Duration.ofMinutes(3));
        DuplicateEffects duplicates = pipeline.effects().count(COHORT);
        long publishedTwice = publishedTwice(api.log(), logsAt.get(api));
        Map<String, Long> skipped = new LinkedHashMap<>();
        pipeline.services().workers().forEach(worker -> skipped.put(worker.name(),
                linesSince(worker.log(), logsAt.get(worker), lines -> lines.filter(line -> line.contains(SKIPPED))
                        .count())));
        Narrator.say("Events the API's log shows published twice: %d; duplicates skipped by the workers: %s",
                publishedTwice, skipped);
        summary.record(new ScenarioFigures(name(), attempts.size(), accepted.size(), done.size(),
                accepted.size() - done.size(), duplicates, pipeline.queues().parked() - parkedBefore,
                "SIGKILL at %,d of %,d accepted, healthy again after %s; POSTs unanswered meanwhile %,d; "
                        .formatted(acceptedAtKill, SIGNUPS, Narrator.human(back), attempts.size() - accepted.size())
                        + "events the API's log shows published twice %d; duplicates skipped per worker %s"
                                .formatted(publishedTwice, skipped)));

        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(exitCode).as("signup-api's exit code: 137 is death by SIGKILL").isEqualTo(137);
            soft.assertThat(accepted.size() - done.size()).as("signups lost: answered 201, not all four steps DONE")
                    .isZero();
            soft.assertThat(duplicates.stripeCustomers()).as("second Stripe customers").isZero();
            soft.assertThat(duplicates.riskAssessments()).as("second risk assessments").isZero();
            soft.assertThat(duplicates.welcomeEmails()).as("repeated welcome emails").isZero();
            soft.assertThat(duplicates.slackPosts()).as("repeated Slack posts").isZero();
            skipped.forEach((worker, count) -> soft.assertThat(count)
                    .as("duplicates %s skipped, one at least per event published twice", worker)
                    .isGreaterThanOrEqualTo(publishedTwice));
        });
    }

    private static Map<ServiceProcess, Long> logSizes(PipelineUnderTest pipeline) {
        Map<ServiceProcess, Long> sizes = new LinkedHashMap<>();
        sizes.put(pipeline.services().api(), size(pipeline.services().api().log()));
        pipeline.services().workers().forEach(worker -> sizes.put(worker, size(worker.log())));
        return sizes;
    }

    /** Events whose publish the log records more than once since {@code from}: a lower bound, see above. */
    private static long publishedTwice(Path log, long from) {
        Map<String, Long> publishes = linesSince(log, from, lines -> lines.map(PUBLISHED::matcher)
                .filter(Matcher::find).collect(Collectors.groupingBy(match -> match.group(1), Collectors.counting())));
        return publishes.values().stream().filter(count -> count > 1).count();
    }

    private static <T> T linesSince(Path log, long from, Function<Stream<String>, T> reader) {
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(from);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return reader.apply(text.lines());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + log, e);
        }
    }

    private static long size(Path log) {
        try {
            return Files.size(log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + log, e);
        }
    }
}
