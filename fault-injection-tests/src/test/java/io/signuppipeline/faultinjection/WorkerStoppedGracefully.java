package io.signuppipeline.faultinjection;

import static org.awaitility.Awaitility.await;

import io.signuppipeline.testing.ServiceProcess;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;

/**
 * The email worker gets SIGTERM in the middle of a steady load, as in a rolling deploy, and is
 * started again. It must stop taking messages, finish or return those in flight and exit within
 * 30 s; nothing may be lost, and since every message it took was finished and acknowledged before
 * it exited, no welcome email may go out twice.
 */
final class WorkerStoppedGracefully implements FaultScenario {

    private static final Cohort COHORT = new Cohort("graceful-stop");
    private static final int SIGNUPS = 600;
    private static final int PER_SECOND = 60;
    private static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "SIGTERM to the email worker under load, then restart";
    }

    @Override
    public void run(PipelineUnderTest pipeline, FaultSummary summary) {
        long parkedBefore = pipeline.queues().parked();
        ServiceProcess email = pipeline.services().worker("email-worker");
        LoadRun load = LoadRun.steady(pipeline.client(), COHORT, SIGNUPS, PER_SECOND);
        await().atMost(Duration.ofMinutes(1)).until(() -> load.sent() >= SIGNUPS / 3);
        Duration exited = email.terminate();
        int exitCode = email.exitCode();
        Narrator.say("SIGTERM to %s at %d of %d signups sent: exited with %d after %s", email, load.sent(), SIGNUPS,
                exitCode, Narrator.human(exited));
        List<SignupAttempt> attempts = load.join(Duration.ofMinutes(1));
        email.restart();
        Duration restarted = email.awaitHealthy(Duration.ofSeconds(120));
        Set<UUID> accepted = SignupAttempt.accepted(attempts);
        Set<UUID> done = Drain.awaitFullyProcessed(pipeline.ledger(), COHORT, accepted, Duration.ofMinutes(2));
        DuplicateEffects duplicates = pipeline.effects().count(COHORT);
        summary.record(new ScenarioFigures(name(), attempts.size(), accepted.size(), done.size(),
                accepted.size() - done.size(), duplicates, pipeline.queues().parked() - parkedBefore,
                "exited %s after SIGTERM (code %d); healthy again %s after restart".formatted(Narrator.human(exited),
                        exitCode, Narrator.human(restarted))));

        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(exited).as("time from SIGTERM to exit").isLessThan(SHUTDOWN_LIMIT);
            soft.assertThat(exitCode).as("exit code: 143 is SIGTERM, not a crash").isIn(0, 143);
            soft.assertThat(accepted).as("every signup answered 201").hasSize(SIGNUPS);
            soft.assertThat(accepted.size() - done.size()).as("signups lost").isZero();
            soft.assertThat(duplicates.welcomeEmails()).as("welcome emails sent twice").isZero();
        });
    }
}
