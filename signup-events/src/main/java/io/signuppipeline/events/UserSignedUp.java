package io.signuppipeline.events;

import java.util.UUID;

/**
 * A user has signed up: the row exists and every worker should now do its part.
 *
 * <p>Adding a field is a compatible change; renaming or removing one needs a new event type.
 *
 * @param userId the new user's id, which is also the signup id
 * @param email the address as the user gave it, trimmed
 * @param name the display name, trimmed
 * @param signupIp the client address the API saw, for the fraud check
 * @param userAgent the client's User-Agent header, for the fraud check; may be null
 */
public record UserSignedUp(UUID userId, String email, String name, String signupIp, String userAgent) {

    /** The CloudEvents {@code type} and the AMQP {@code type} property of this event. */
    public static final String TYPE = "user.signed_up";
}
