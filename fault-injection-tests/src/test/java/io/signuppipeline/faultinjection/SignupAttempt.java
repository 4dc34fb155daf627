package io.signuppipeline.faultinjection;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One {@code POST /api/signups} as the client saw it.
 *
 * @param email the address sent
 * @param status the HTTP status, or {@link #NO_ANSWER} when the request failed or ran out of time
 * @param millis from sending until the answer, or the failure
 * @param contentType the answer's Content-Type, empty when there was none
 * @param signupId the id in the Location header of a 201, otherwise null
 * @param failure why there was no answer, otherwise null
 */
record SignupAttempt(String email, int status, long millis, String contentType, UUID signupId, String failure) {

    static final int NO_ANSWER = -1;

    boolean created() {
        return status == 201;
    }

    boolean problemJson() {
        return contentType.startsWith("application/problem+json");
    }

    /** The signups the API accepted: the ids of the 201s. */
    static Set<UUID> accepted(List<SignupAttempt> attempts) {
        return attempts.stream().filter(SignupAttempt::created).map(SignupAttempt::signupId)
                .collect(Collectors.toSet());
    }

    /** The first few of the attempts, for an assertion's message; the figures give the count. */
    static String examples(List<SignupAttempt> attempts) {
        return attempts.stream().limit(5).map(SignupAttempt::toString).collect(Collectors.joining("; ", "[", "]"));
    }

    @Override
    public String toString() {
        return email + " -> " + (status == NO_ANSWER ? "no answer (" + failure + ")" : status + " " + contentType)
                + " in " + millis + " ms";
    }
}
