package io.signuppipeline.api.signup;

import io.signuppipeline.api.status.StepStatus;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A signup as the API shows it.
 *
 * @param id the signup id, also the user id
 * @param email the registered address
 * @param name the display name
 * @param status ACTIVE, or FLAGGED by a risk assessment
 * @param createdAt when the signup was accepted
 * @param steps each step the workers do for it, by step name, in the order the steps became known:
 *        those announced before the signup was created, and any other that has reported a result
 */
record SignupView(UUID id, String email, String name, UserStatus status, Instant createdAt,
        Map<String, StepStatus> steps) {

    static SignupView of(User user, Map<String, StepStatus> steps) {
        return new SignupView(user.id(), user.email(), user.name(), user.status(), user.createdAt(), steps);
    }
}
