package io.signuppipeline.faultinjection;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;

/**
 * What a cluster scenario's load came to, once the workers have drained it: the answers, the
 * signups fully processed, the effects done twice and how long each step stood still.
 *
 * @param attempts every POST, in the order sent
 * @param accepted the signups answered 201
 * @param done of those, the ones with all four steps DONE
 * @param duplicates effects done more than once
 * @param stalls per step, the longest gap between two signups finishing it, in milliseconds
 * @param parked messages that reached a dead-letter queue during the scenario
 */
record ClusterOutcome(List<SignupAttempt> attempts, Set<UUID> accepted, Set<UUID> done, DuplicateEffects duplicates,
        Map<String, Long> stalls, long parked) {

    /** Waits until the cohort's accepted signups are fully processed (or 3 minutes), then counts. */
    static ClusterOutcome of(ClusterPipeline pipeline, Cohort cohort, List<SignupAttempt> attempts, long parkedBefore) {
        Set<UUID> accepted = SignupAttempt.accepted(attempts);
        Set<UUID> done = Drain.awaitFullyProcessed(pipeline.ledger(), cohort, accepted, Duration.ofMinutes(3));
        return new ClusterOutcome(attempts, accepted, done, pipeline.effects().count(cohort),
                pipeline.ledger().longestStallMillis(cohort), pipeline.queues().parked() - parkedBefore);
    }

    List<SignupAttempt> refused() {
        return attempts.stream().filter(attempt -> !attempt.created()).toList();
    }

    /** The scenario's row: its own notes, then the stalls and the answers other than 201. */
    ScenarioFigures figures(String scenario, String notes) {
        return new ScenarioFigures(scenario, attempts.size(), accepted.size(), done.size(),
                accepted.size() - done.size(), duplicates, parked,
                "%s; longest stall per step (ms) %s; not 201: %d".formatted(notes, stalls, refused().size()));
    }

    /** Nothing lost, every answer a 201 or a 503 problem, no second Stripe customer or risk assessment. */
    void assertNothingLost(SoftAssertions soft) {
        soft.assertThat(accepted.size() - done.size()).as("signups lost: answered 201, not all four steps DONE")
                .isZero();
        List<SignupAttempt> wrong = refused().stream()
                .filter(attempt -> !(attempt.status() == 503 && attempt.problemJson())).toList();
        soft.assertThat(wrong.size()).as("answers neither 201 nor a 503 problem+json: %s",
                SignupAttempt.examples(wrong)).isZero();
        soft.assertThat(duplicates.stripeCustomers()).as("second Stripe customers").isZero();
        soft.assertThat(duplicates.riskAssessments()).as("second risk assessments").isZero();
    }
}
