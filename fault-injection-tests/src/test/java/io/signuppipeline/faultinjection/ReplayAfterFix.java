package io.signuppipeline.faultinjection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.signuppipeline.testing.ServiceProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;

/**
 * Stripe refuses a cohort's customers (400, a permanent failure): the billing worker parks each
 * event at once and its step turns FAILED. Then the cause is fixed and the operator replays the
 * billing dead-letter queue: every parked event goes back, the step turns DONE, and replaying
 * creates no second customer, risk assessment, email or Slack post.
 */
final class ReplayAfterFix implements FaultScenario {

    private static final Cohort COHORT = new Cohort("replay-after-fix");
    private static final int SIGNUPS = 100;

    @Override
    public String name() {
        return "Stripe refuses, then replay after the fix";
    }

    @Override
    public void run(PipelineUnderTest pipeline, FaultSummary summary) {
        ServiceProcess billing = pipeline.services().worker("billing-worker");
        StubMapping refusal = pipeline.mocks().stubFor(post(urlPathEqualTo("/stripe/v1/customers")).atPriority(0)
                .withRequestBody(containing(COHORT.domain()))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"type\": \"invalid_request_error\", \"message\": \"No such tax id\"}}")));
        List<SignupAttempt> attempts = LoadRun.burst(pipeline.client(), COHORT, SIGNUPS, 8).join(Duration.ofMinutes(1));
        Set<UUID> accepted = SignupAttempt.accepted(attempts);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> pipeline.ledger().inState(COHORT, "billing", "FAILED") == accepted.size());
        long parkedByRefusal = cohortParked(pipeline);
        Narrator.say("Stripe refused: billing FAILED for %d signups, %d parked in billing's dead-letter queue",
                accepted.size(), parkedByRefusal);

        pipeline.mocks().removeStub(refusal);
        int replayed = WorkerAdmin.replay(billing, pipeline.adminPassword());
        Narrator.say("Cause fixed; POST /admin/dead-letters/replay on billing-worker: %d replayed", replayed);
        Set<UUID> done = Drain.awaitFullyProcessed(pipeline.ledger(), COHORT, accepted, Duration.ofMinutes(1));
        DuplicateEffects duplicates = pipeline.effects().count(COHORT);
        long stillParked = cohortParked(pipeline);
        summary.record(new ScenarioFigures(name(), attempts.size(), accepted.size(), done.size(),
                accepted.size() - done.size(), duplicates, parkedByRefusal,
                "%d parked at once (400), %d replayed, %d still parked after the replay"
                        .formatted(parkedByRefusal, replayed, stillParked)));

        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(accepted).as("every signup answered 201").hasSize(SIGNUPS);
            soft.assertThat(parkedByRefusal).as("parked at once, one per refused signup").isEqualTo(SIGNUPS);
            soft.assertThat(replayed).as("replayed").isGreaterThanOrEqualTo(SIGNUPS);
            soft.assertThat(accepted.size() - done.size()).as("signups not DONE after the replay").isZero();
            soft.assertThat(stillParked).as("the cohort's messages still parked").isZero();
            soft.assertThat(duplicates.stripeCustomers()).as("second Stripe customers").isZero();
            soft.assertThat(duplicates.riskAssessments()).as("second risk assessments").isZero();
            soft.assertThat(duplicates.welcomeEmails()).as("repeated welcome emails").isZero();
            soft.assertThat(duplicates.slackPosts()).as("repeated Slack posts").isZero();
        });
    }

    /** The cohort's messages in billing's dead-letter queue. */
    private static long cohortParked(PipelineUnderTest pipeline) {
        return pipeline.queues().peek(BrokerQueues.workerQueue("billing-worker") + ".dlq").stream()
                .filter(message -> new String(message.getBody(), StandardCharsets.UTF_8).contains(COHORT.domain()))
                .count();
    }
}
