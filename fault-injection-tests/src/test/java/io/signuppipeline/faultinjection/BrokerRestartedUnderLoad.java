package io.signuppipeline.faultinjection;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;

/**
 * RabbitMQ is restarted ({@code rabbitmqctl stop_app}, then {@code start_app}) while signups arrive
 * at a steady 50 per second. The API never talks to the broker while a request waits, so every
 * request must still get its 201; the outbox relay must publish what waited once the broker is
 * back, and the workers must reconnect by themselves, so every signup ends fully processed.
 */
final class BrokerRestartedUnderLoad implements FaultScenario {

    private static final Cohort COHORT = new Cohort("broker-restarted");
    private static final int PER_SECOND = 50;
    /**
     * The broker goes down after 5 s of load, stays down while 5 s more of signups are sent, and the
     * load goes on for 5 s after it is back. Stopping a broker full of quorum queues takes anything
     * from one second to tens on a busy machine, so the load runs until these counts are reached,
     * never for a fixed number of signups.
     */
    private static final int SIGNUPS_BEFORE = 250;
    private static final int SIGNUPS_DURING = 250;
    private static final int SIGNUPS_AFTER = 250;
    private static final int SIGNUPS_AT_MOST = 5_000;

    @Override
    public String name() {
        return "RabbitMQ restarted under 50 signups/s";
    }

    @Override
    public void run(PipelineUnderTest pipeline, FaultSummary summary) {
        long parkedBefore = pipeline.queues().parked();
        LoadRun load = LoadRun.steady(pipeline.client(), COHORT, SIGNUPS_AT_MOST, PER_SECOND);
        load.awaitMore(SIGNUPS_BEFORE);
        Duration down;
        int sentAtStop;
        try (Outage outage = LocalBroker.stop()) {
            sentAtStop = load.sent();
            load.awaitMore(SIGNUPS_DURING);
            down = outage.end();
        }
        load.awaitMore(SIGNUPS_AFTER);
        load.finish();
        List<SignupAttempt> attempts = load.join(Duration.ofMinutes(1));
        long slowest = attempts.stream().mapToLong(SignupAttempt::millis).max().orElse(0);
        Narrator.say("Load over: %d sent, %d answered 201, slowest answer %d ms", attempts.size(), load.created(),
                slowest);
        Set<UUID> accepted = SignupAttempt.accepted(attempts);
        Set<UUID> done = Drain.awaitFullyProcessed(pipeline.ledger(), COHORT, accepted, Duration.ofMinutes(2));
        DuplicateEffects duplicates = pipeline.effects().count(COHORT);
        summary.record(new ScenarioFigures(name(), attempts.size(), accepted.size(), done.size(),
                accepted.size() - done.size(), duplicates, pipeline.queues().parked() - parkedBefore,
                "broker down %s from signup %d; slowest answer %d ms".formatted(Narrator.human(down), sentAtStop,
                        slowest)));

        SoftAssertions.assertSoftly(soft -> {
            List<SignupAttempt> refused = attempts.stream().filter(attempt -> !attempt.created()).toList();
            soft.assertThat(refused.size()).as("POSTs not answered 201 while the broker restarted: %s",
                    SignupAttempt.examples(refused)).isZero();
            soft.assertThat(accepted.size() - done.size()).as("signups lost: answered 201, not all four steps DONE")
                    .isZero();
            soft.assertThat(duplicates.stripeCustomers()).as("second Stripe customers").isZero();
            soft.assertThat(duplicates.riskAssessments()).as("second risk assessments").isZero();
        });
    }
}
