package io.signuppipeline.messaging.logging;

/**
 * An email address as it may appear in logs: first letter and domain only, {@code a***@example.com}.
 *
 * @param masked the masked form
 */
public record MaskedEmail(String masked) {

    /** Masks an address; anything that is not an address at all becomes {@code ***}. */
    public static MaskedEmail of(String email) {
        if (email == null) {
            return new MaskedEmail("***");
        }
        int at = email.lastIndexOf('@');
        if (at <= 0 || at == email.length() - 1) {
            return new MaskedEmail("***");
        }
        return new MaskedEmail(email.substring(0, email.offsetByCodePoints(0, 1)) + "***" + email.substring(at));
    }

    @Override
    public String toString() {
        return masked;
    }
}
