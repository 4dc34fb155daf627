package io.signuppipeline.api.signup;

import java.time.Instant;
import java.util.UUID;

/**
 * A signup as the API shows it.
 *
 * @param id the signup id, also the user id
 * @param email the registered address
 * @param name the display name
 * @param status ACTIVE, or FLAGGED by the fraud check
 * @param createdAt when the signup was accepted
 */
record SignupView(UUID id, String email, String name, UserStatus status, Instant createdAt) {

    static SignupView of(User user) {
        return new SignupView(user.id(), user.email(), user.name(), user.status(), user.createdAt());
    }
}
