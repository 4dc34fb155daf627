package io.signuppipeline.api.signup;

/**
 * Whether a user may go about their business, or the fraud check wants a human to look first.
 */
public enum UserStatus {
    ACTIVE,
    FLAGGED
}
