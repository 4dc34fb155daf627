package io.signuppipeline.faultinjection;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the API answered a scenario's signups: how many of each kind, and how slowly.
 *
 * @param created answered 201
 * @param unavailable answered 503
 * @param other answered anything else
 * @param unanswered no answer within the client's deadline, or a broken connection
 * @param slowestMillis the slowest answer, or failure
 * @param slowestUnavailableMillis the slowest 503
 * @param refusedEmails the addresses answered 503
 */
record AnswerStatistics(long created, long unavailable, long other, long unanswered, long slowestMillis,
        long slowestUnavailableMillis, Set<String> refusedEmails) {

    static AnswerStatistics of(List<SignupAttempt> attempts) {
        List<SignupAttempt> refused = attempts.stream().filter(a -> a.status() == 503).toList();
        return new AnswerStatistics(
                attempts.stream().filter(SignupAttempt::created).count(),
                refused.size(),
                attempts.stream().filter(a -> !a.created() && a.status() != 503 && a.status() != SignupAttempt.NO_ANSWER)
                        .count(),
                attempts.stream().filter(a -> a.status() == SignupAttempt.NO_ANSWER).count(),
                attempts.stream().mapToLong(SignupAttempt::millis).max().orElse(0),
                refused.stream().mapToLong(SignupAttempt::millis).max().orElse(0),
                refused.stream().map(SignupAttempt::email).collect(Collectors.toSet()));
    }

    @Override
    public String toString() {
        return "201 x%d, 503 x%d (slowest %d ms), other x%d, no answer x%d, slowest answer %d ms".formatted(created,
                unavailable, slowestUnavailableMillis, other, unanswered, slowestMillis);
    }
}
