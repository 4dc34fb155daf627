package io.signuppipeline.fraud;

import java.util.Set;

/**
 * The scoring API's answer.
 *
 * @param score 0 (no risk) to 100
 * @param decision APPROVE, REVIEW or REJECT
 */
record Score(Integer score, String decision) {

    private static final Set<String> DECISIONS = Set.of("APPROVE", "REVIEW", "REJECT");

    /** Refuses an answer outside the API's documented range rather than storing it. */
    Score requireValid() {
        if (score == null || score < 0 || score > 100 || !DECISIONS.contains(decision)) {
            throw new IllegalStateException("The scoring API answered an invalid score: " + this);
        }
        return this;
    }
}
