package io.signuppipeline.api.signup;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/signups}. Both fields are trimmed before they are validated.
 *
 * @param email the address to register; at most 254 characters, the part before the @ at most 64
 * @param name the name to greet the user by; 1 to 100 characters
 */
record SignupRequest(
        @NotBlank
        @Size(max = 254)
        @Email(regexp = "[^@]+@[^@]+\\.[^@.]+", message = "must be a valid email address such as ada@example.com")
        @Pattern(regexp = PRINTABLE, message = NO_CONTROL_CHARACTERS)
        String email,

        @NotBlank
        @Size(max = 100)
        @Pattern(regexp = PRINTABLE, message = NO_CONTROL_CHARACTERS)
        String name) {

    /** No control characters, line separators, lone surrogates or unassigned code points. */
    static final String PRINTABLE = "[^\\p{Cc}\\p{Cs}\\p{Cn}\\p{Zl}\\p{Zp}]*";
    static final String NO_CONTROL_CHARACTERS = "must not contain control characters or line breaks";

    SignupRequest {
        email = trimSpaces(email);
        name = trimSpaces(name);
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
