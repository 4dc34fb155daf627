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

    /** The longest address a signup may have, as the API and RFC 5321's path limit allow. */
    public static final int MAX_EMAIL_LENGTH = 254;

    /**
     * What no worker can act on in this event, or null when nothing: a user id, one address of the
     * form {@code name@domain} without spaces or control characters, and a name. Every event the API
     * publishes has all three; one from elsewhere may not, and no retry would give it them. The
     * name's rules stay the API's: whatever name it accepted, a worker takes.
     */
    public String defect() {
        if (userId == null) {
            return "no user id";
        }
        if (email == null || !isOneAddress(email)) {
            return "no email address of the form name@domain";
        }
        if (name == null || name.isEmpty()) {
            return "no name";
        }
        return null;
    }

    private static boolean isOneAddress(String email) {
        int at = email.indexOf('@');
        return at > 0 && at == email.lastIndexOf('@') && at < email.length() - 1
                && email.length() <= MAX_EMAIL_LENGTH
                && email.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                        || Character.isISOControl(c));
    }
}
