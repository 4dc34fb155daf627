package io.signuppipeline.faultinjection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.signuppipeline.testing.ServiceProcess;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;

/**
 * Two downstreams fail at once while signups arrive: the scoring API answers 503 and the SMTP server
 * is stopped, for {@link #OUTAGE}, nine times the workers' whole scaled-down retry schedule. The API
 * must not notice; the fraud and email workers must pause (their circuit breakers open) instead of
 * running every message through the retry tiers into the dead-letter queue; after recovery every
 * signup must end DONE. The lesson's 20-minute email outage, at CI scale.
 */
final class DownstreamOutage implements FaultScenario {

    private static final Cohort COHORT = new Cohort("downstream-outage");
    private static final int SIGNUPS = 400;
    private static final int PER_SECOND = 40;
    private static final Duration OUTAGE = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "scoring API 503 and SMTP server stopped";
    }

    @Override
    public void run(PipelineUnderTest pipeline, FaultSummary summary) {
        long parkedBefore = pipeline.queues().parked();
        ServiceProcess fraud = pipeline.services().worker("fraud-worker");
        ServiceProcess email = pipeline.services().worker("email-worker");
        StubMapping scoringDown = pipeline.mocks().stubFor(post(urlPathEqualTo("/fraud/score")).atPriority(0)
                .willReturn(aResponse().withStatus(503).withBody("scoring is down")));
        Narrator.say("Scoring API answers 503; stopping the SMTP server");
        pipeline.smtp().stop();
        long began = System.nanoTime();
        LoadRun load;
        String breakers;
        boolean parkedNothingDuringOutage;
        try {
            load = LoadRun.steady(pipeline.client(), COHORT, SIGNUPS, PER_SECOND);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !"CLOSED".equals(WorkerAdmin.breaker(fraud))
                            && !"CLOSED".equals(WorkerAdmin.breaker(email)));
            breakers = "breakers opened %s into the outage (fraud %s, email %s)".formatted(
                    Narrator.human(Duration.ofNanos(System.nanoTime() - began)), WorkerAdmin.breaker(fraud),
                    WorkerAdmin.breaker(email));
            Narrator.say("Fraud and email workers paused: %s", breakers);
            Duration left = OUTAGE.minusNanos(System.nanoTime() - began);
            parkedNothingDuringOutage = nothingParkedFor(pipeline, parkedBefore, left);
        } finally {
            pipeline.mocks().removeStub(scoringDown);
            pipeline.smtp().start();
        }
        Duration down = Duration.ofNanos(System.nanoTime() - began);
        Narrator.say("Scoring API and SMTP server back after %s", Narrator.human(down));
        List<SignupAttempt> attempts = load.join(Duration.ofMinutes(1));
        Set<UUID> accepted = SignupAttempt.accepted(attempts);
        Set<UUID> done = Drain.awaitFullyProcessed(pipeline.ledger(), COHORT, accepted, Duration.ofMinutes(2));
        DuplicateEffects duplicates = pipeline.effects().count(COHORT);
        long parked = pipeline.queues().parked() - parkedBefore;
        summary.record(new ScenarioFigures(name(), attempts.size(), accepted.size(), done.size(),
                accepted.size() - done.size(), duplicates, parked, "down %s (retry schedule 1.7 s); %s"
                        .formatted(Narrator.human(down), breakers)));

        SoftAssertions.assertSoftly(soft -> {
            List<SignupAttempt> refused = attempts.stream().filter(attempt -> !attempt.created()).toList();
            soft.assertThat(refused.size()).as("POSTs not answered 201 during a downstream outage: %s",
                    SignupAttempt.examples(refused)).isZero();
            soft.assertThat(parkedNothingDuringOutage).as("nothing parked while the outage lasted").isTrue();
            soft.assertThat(parked).as("messages parked by the outage").isZero();
            soft.assertThat(accepted.size() - done.size()).as("signups lost: answered 201, not all four steps DONE")
                    .isZero();
            soft.assertThat(duplicates.stripeCustomers()).as("second Stripe customers").isZero();
            soft.assertThat(duplicates.riskAssessments()).as("second risk assessments").isZero();
            soft.assertThat(duplicates.welcomeEmails()).as("repeated welcome emails").isZero();
        });
    }

    /** Watches the dead-letter queues for the rest of the outage; false as soon as one grows. */
    private static boolean nothingParkedFor(PipelineUnderTest pipeline, long parkedBefore, Duration left) {
        if (left.isNegative() || left.isZero()) {
            return pipeline.queues().parked() == parkedBefore;
        }
        try {
            await().during(left).atMost(left.plusSeconds(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> pipeline.queues().parked() == parkedBefore);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }
}
