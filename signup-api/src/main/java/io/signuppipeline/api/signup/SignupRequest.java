package io.signuppipeline.api.signup;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.text.Normalizer;

/**
 * The body of {@code POST /api/signups}. Both fields are trimmed and put in Unicode NFC, and the
 * email's domain in lower case, before they are validated: what is checked is what is stored.
 *
 * @param email the address to register; at most 254 characters, the part before the @ at most 64
 * @param name the name to greet the user by; 1 to 100 characters
 */
record SignupRequest(
        @NotBlank
        @Size(max = 254)
        @Email(regexp = EmailAddresses.SYNTAX, message = "must be a valid email address such as ada@example.com")
        @Pattern(regexp = VISIBLE_TEXT, message = ONLY_VISIBLE_CHARACTERS)
        String email,

        @NotBlank
        @Size(max = 100)
        @Pattern(regexp = VISIBLE_TEXT, message = ONLY_VISIBLE_CHARACTERS)
        String name) {

    /**
     * Letters, marks, digits, punctuation, symbols and spaces, and the zero-width (non-)joiners that
     * some scripts and emoji sequences need. Everything else is refused rather than stripped: control
     * characters and line breaks (header and log injection), bidi overrides and other invisible format
     * characters (text that reads differently from what it is), private-use and unassigned code points,
     * and lone surrogates.
     */
    static final String VISIBLE_TEXT = "[\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}\\p{Zs}\\u200C\\u200D]*";
    static final String ONLY_VISIBLE_CHARACTERS = "must not contain control characters, line breaks or invisible "
            + "characters such as bidi overrides and zero-width spaces";

    SignupRequest {
        email = EmailAddresses.normalised(trimSpaces(email));
        name = nfc(trimSpaces(name));
    }

    /** One form for text that looks the same: an accent typed as a combining mark becomes the precomposed letter. */
    private static String nfc(String value) {
        return value == null ? null : Normalizer.normalize(value, Normalizer.Form.NFC);
    }

    /** Trims spaces and tabs only: a control character or line break at either end is refused, not hidden. */
    private static String trimSpaces(String value) {
        if (value == null) {
            return null;
        }
        int start = 0;
        int end = value.length();
        while (start < end && isSpace(value.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\u00A0' || c == '\u3000';
    }
}
