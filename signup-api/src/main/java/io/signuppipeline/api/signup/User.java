package io.signuppipeline.api.signup;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code signup.users}.
 *
 * @param id the user id, which is also the signup id
 * @param email the address as registered
 * @param name the display name
 * @param status whether a risk assessment flagged the user
 * @param createdAt when the signup was accepted
 */
record User(UUID id, String email, String name, UserStatus status, Instant createdAt) {
}
