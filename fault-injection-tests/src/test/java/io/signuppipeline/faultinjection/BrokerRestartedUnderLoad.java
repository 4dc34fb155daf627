package io.signuppipeline.faultinjection;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;

/**
 * RabbitMQ is restarted ({@code rabbitmqctl stop_app}, then {@code start_app}) while signups arrive
 * at a steady 50 per second. The API never talks to the broker while a request waits, so every
 * request sent while the broker is down must get its 201; the outbox relay must publish what waited
 * once the broker is back, and the workers must reconnect by themselves, so every signup ends fully
 * processed.
 *
 * <p>Stopping and starting a broker full of quorum queues is not instant: for one to twenty seconds
 * it writes out its queues at full speed, on the disk and the two cores PostgreSQL shares with it
 * here. A commit can then stall longer than the API waits for the database (up to 8 s while its
 * pool is busy), and the API says so with a 503 problem, as it must when the database cannot keep
 * up. Those answers are counted and reported, not failed on: they are the database's, not the
 * broker's; every answer must still be a 201 or such a 503 (a request that hung would end in the
 * client's 10 s timeout, and fail). How fast the API answers while the database struggles is
 * {@link DatabaseRestartedUnderLoad}'s subject.
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
        pipeline.ledger().checkpoint();
        LoadRun load = LoadRun.steady(pipeline.client(), COHORT, SIGNUPS_AT_MOST, PER_SECOND);
        load.awaitMore(SIGNUPS_BEFORE);
        Duration down;
        int sentAtStop;
        int sentAtStart;
        try (Outage outage = LocalBroker.stop()) {
            sentAtStop = load.sent();
            load.awaitMore(SIGNUPS_DURING);
            sentAtStart = load.sent();
            down = outage.end();
        }
        load.awaitMore(SIGNUPS_AFTER);
        load.finish();
        List<SignupAttempt> attempts = load.join(Duration.ofMinutes(1));
        long slowest = attempts.stream().mapToLong(SignupAttempt::millis).max().orElse(0);
        Narrator.say("Load over: %d sent, %d answered 201, slowest answer %d ms", attempts.size(), load.created(),
                slowest);
        List<SignupAttempt> whileDown = attempts.subList(sentAtStop, sentAtStart);
        List<SignupAttempt> refused = attempts.stream().filter(attempt -> !attempt.created()).toList();
        Set<UUID> accepted = SignupAttempt.accepted(attempts);
        Set<UUID> done = Drain.awaitFullyProcessed(pipeline.ledger(), COHORT, accepted, Duration.ofMinutes(2));
        DuplicateEffects duplicates = pipeline.effects().count(COHORT);
        summary.record(new ScenarioFigures(name(), attempts.size(), accepted.size(), done.size(),
                accepted.size() - done.size(), duplicates, pipeline.queues().parked() - parkedBefore,
                "broker down %s from signup %d; slowest answer %d ms; %d sent while it was down, all 201: %s; "
                        .formatted(Narrator.human(down), sentAtStop, slowest, whileDown.size(),
                                whileDown.stream().allMatch(SignupAttempt::created) ? "yes" : "no")
                        + "503s while it stopped or started %d".formatted(refused.size())));

        SoftAssertions.assertSoftly(soft -> {
            List<SignupAttempt> refusedWhileDown = whileDown.stream().filter(attempt -> !attempt.created()).toList();
            // The API's log is read only if the assertion fails.
            soft.assertThat(refusedWhileDown.size()).as(() -> "POSTs sent while the broker was down and not answered "
                    + "201: %s; the API logged:%n%s".formatted(SignupAttempt.examples(refusedWhileDown),
                            pipeline.apiRefusals(5))).isZero();
            List<SignupAttempt> wrong = refused.stream()
                    .filter(attempt -> !(attempt.status() == 503 && attempt.problemJson())).toList();
            soft.assertThat(wrong.size()).as("answers neither 201 nor a 503 problem+json: %s",
                    SignupAttempt.examples(wrong)).isZero();
            soft.assertThat(accepted.size() - done.size()).as("signups lost: answered 201, not all four steps DONE")
                    .isZero();
            soft.assertThat(duplicates.stripeCustomers()).as("second Stripe customers").isZero();
            soft.assertThat(duplicates.riskAssessments()).as("second risk assessments").isZero();
        });
    }
}
