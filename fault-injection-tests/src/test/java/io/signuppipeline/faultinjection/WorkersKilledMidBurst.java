package io.signuppipeline.faultinjection;

import static org.awaitility.Awaitility.await;

import io.signuppipeline.testing.ServiceProcess;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.SoftAssertions;

/**
 * All four workers die by SIGKILL half-way through a 5,000-signup burst, and are started again once
 * the burst is over. The broker redelivers everything they held unacknowledged. Nothing may be
 * lost; the inbox, the transaction around each effect and Stripe's Idempotency-Key must keep the
 * redeliveries from creating a second customer or a second risk assessment. The welcome email and
 * the Slack post have no idempotency key: one sent but not yet committed at the kill is sent again,
 * so their duplicates are reported and bounded by the worker's in-flight limit.
 */
final class WorkersKilledMidBurst implements FaultScenario {

    private static final Cohort COHORT = new Cohort("workers-killed");
    private static final int SIGNUPS = 5_000;
    private static final int KILL_AT = SIGNUPS / 2;
    private static final int REQUESTS_IN_FLIGHT = 16;

    @Override
    public String name() {
        return "kill -9 of all four workers mid-burst, then restart";
    }

    @Override
    public void run(PipelineUnderTest pipeline, FaultSummary summary) {
        long parkedBefore = pipeline.queues().parked();
        pipeline.ledger().checkpoint();
        LoadRun burst = LoadRun.burst(pipeline.client(), COHORT, SIGNUPS, REQUESTS_IN_FLIGHT);
        await().atMost(Duration.ofMinutes(2)).until(() -> burst.created() >= KILL_AT);
        String kill = killAll(pipeline.services().workers(), burst);
        List<Integer> exitCodes = pipeline.services().workers().stream().map(ServiceProcess::exitCode).toList();
        Narrator.say("Steps DONE at the kill: %s", pipeline.ledger().doneByStep(COHORT));
        List<SignupAttempt> attempts = burst.join(Duration.ofMinutes(2));
        Narrator.say("Burst over: %d sent, %d answered 201, with the workers down", attempts.size(), burst.created());
        String restart = restartAll(pipeline.services().workers());
        Set<UUID> accepted = SignupAttempt.accepted(attempts);
        Set<UUID> done = Drain.awaitFullyProcessed(pipeline.ledger(), COHORT, accepted, Duration.ofMinutes(3));
        DuplicateEffects duplicates = pipeline.effects().count(COHORT);
        long ambiguousEmails = pipeline.ledger().ambiguous(COHORT, "email");
        long ambiguousPosts = pipeline.ledger().ambiguous(COHORT, "notify");
        int limit = PipelineUnderTest.WORKER_LISTENERS.inFlightLimit();
        summary.record(new ScenarioFigures(name(), attempts.size(), accepted.size(), done.size(),
                accepted.size() - done.size(), duplicates, pipeline.queues().parked() - parkedBefore,
                kill + "; " + restart + "; in-flight limit per worker " + limit
                        + "; steps shown ambiguous: email %d, Slack %d".formatted(ambiguousEmails, ambiguousPosts)));

        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(exitCodes).as("the workers' exit codes: 137 is death by SIGKILL").containsOnly(137);
            List<SignupAttempt> refused = attempts.stream().filter(attempt -> !attempt.created()).toList();
            // The API's log is read only if the assertion fails.
            soft.assertThat(refused.size()).as(() -> "POSTs not answered 201, though the API was never faulted: %s; "
                    .formatted(SignupAttempt.examples(refused)) + "the API logged:%n%s".formatted(pipeline.apiRefusals(5)))
                    .isZero();
            soft.assertThat(accepted.size() - done.size()).as("signups lost: answered 201, not all four steps DONE")
                    .isZero();
            soft.assertThat(duplicates.stripeCustomers()).as("second Stripe customers (a second Idempotency-Key)")
                    .isZero();
            soft.assertThat(duplicates.riskAssessments()).as("second risk assessments").isZero();
            soft.assertThat(duplicates.welcomeEmails()).as("repeated welcome emails, at most the in-flight limit")
                    .isLessThanOrEqualTo(limit);
            soft.assertThat(duplicates.slackPosts()).as("repeated Slack posts, at most the in-flight limit")
                    .isLessThanOrEqualTo(limit);
            // Each repeat is one a worker died between making and recording: its claim shows it, never silent.
            soft.assertThat(ambiguousEmails).as("welcome email steps shown ambiguous, one at least per repeated email")
                    .isGreaterThanOrEqualTo(duplicates.welcomeEmails());
            soft.assertThat(ambiguousPosts).as("Slack steps shown ambiguous, one at least per repeated post")
                    .isGreaterThanOrEqualTo(duplicates.slackPosts());
        });
    }

    /** Sends SIGKILL to the four workers at once; answers how that went, for the summary. */
    private static String killAll(List<ServiceProcess> workers, LoadRun burst) {
        int acceptedAtKill = burst.created();
        List<String> pids = workers.stream().map(ServiceProcess::toString).toList();
        try (var killers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Duration>> exits = workers.stream().map(worker -> killers.submit(worker::kill)).toList();
            long slowest = 0;
            for (Future<Duration> exit : exits) {
                slowest = Math.max(slowest, exit.get().toMillis());
            }
            Narrator.say("SIGKILL to %s at %,d of %,d signups accepted: all exited within %d ms", pids,
                    acceptedAtKill, SIGNUPS, slowest);
            return "SIGKILL at %,d of %,d accepted, exited within %d ms".formatted(acceptedAtKill, SIGNUPS, slowest);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not kill the workers", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing the workers", e);
        }
    }

    /** Starts the four workers again with their former arguments and waits until all are healthy. */
    private static String restartAll(List<ServiceProcess> workers) {
        long started = System.nanoTime();
        workers.forEach(ServiceProcess::restart);
        workers.forEach(worker -> worker.awaitHealthy(Duration.ofSeconds(120)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        Narrator.say("Workers restarted and healthy in %s: %s", Narrator.human(took), workers);
        return "restarted and healthy in " + Narrator.human(took);
    }
}
