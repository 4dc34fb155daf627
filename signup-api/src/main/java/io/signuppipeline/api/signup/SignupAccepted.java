package io.signuppipeline.api.signup;

import java.util.UUID;

/**
 * A signup was accepted: its user row and event are written. Published inside that transaction.
 *
 * @param signupId the new signup
 */
public record SignupAccepted(UUID signupId) {
}
