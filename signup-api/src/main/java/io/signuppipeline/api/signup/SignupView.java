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
 * @param status ACTIVE, or FLAGGED by the fraud check
 * @param createdAt when the signup was accepted
 * @param steps each worker's part: email, fraud, billing and notify
 */
record SignupView(UUID id, String email, String name, UserStatus status, Instant createdAt,
        Map<String, StepStatus> steps) {

    static SignupView of(User user, Map<String, StepStatus> steps) {
        return new SignupView(user.id(), user.email(), user.name(), user.status(), user.createdAt(), steps);
    }
}
