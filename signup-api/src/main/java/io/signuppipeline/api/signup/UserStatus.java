package io.signuppipeline.api.signup;

/**
 * Whether a user may go about their business, or a risk assessment wants a human to look first.
 */
public enum UserStatus {
    ACTIVE,
    FLAGGED
}
