package io.signuppipeline.api.signup;

import java.text.Normalizer;
import java.util.Locale;

/**
 * What the API accepts as an email address, and the one form it stores and publishes it in.
 *
 * <p>The syntax is the common subset that every mail server, mail library and user interface reads
 * the same way: RFC 5322's dot-atom local part (letters of any script allowed, as RFC 6531 does) and a
 * domain of host-name labels. Quoted local parts, comments and IP literals are legal in RFC 5322 but
 * each means something else to some reader (a quoted {@code "a@b"}, a comment a filter ignores, an
 * address that bypasses DNS), and no real user needs them to sign up.
 */
final class EmailAddresses {

    /** RFC 5322 {@code atext}, plus letters, marks and digits of every script (RFC 6531). */
    private static final String LOCAL_CHARACTER = "[\\p{L}\\p{M}\\p{N}!#$%&'*+/=?^_`{|}~-]";
    private static final String LABEL_END = "[\\p{L}\\p{M}\\p{N}]";
    /** A host-name label of at most 63 characters, no hyphen at either end. */
    private static final String LABEL = "[\\p{L}\\p{N}](?:[\\p{L}\\p{M}\\p{N}-]{0,61}" + LABEL_END + ")?";
    /** The top-level label starts with a letter, so a dotted IP address is not a domain. */
    private static final String TOP_LEVEL_LABEL = "\\p{L}(?:[\\p{L}\\p{M}\\p{N}-]{0,61}" + LABEL_END + ")?";

    /** For {@code @Email(regexp = ...)}: Hibernate Validator adds its own checks, such as 64 characters before the @. */
    static final String SYNTAX = LOCAL_CHARACTER + "+(?:\\." + LOCAL_CHARACTER + "+)*"
            + "@(?:" + LABEL + "\\.)+" + TOP_LEVEL_LABEL;

    private EmailAddresses() {
    }

    /**
     * The canonical form of an address: Unicode NFC, so that {@code e} followed by a combining acute
     * accent and the precomposed {@code é} are one address, and the domain in lower case, since
     * domains are case-insensitive. The local part keeps the case the user typed: strictly it is
     * the mail server's to interpret, and uniqueness ignores case anyway ({@code lower(email)}).
     */
    static String normalised(String address) {
        if (address == null) {
            return null;
        }
        int at = address.lastIndexOf('@');
        String lowerCaseDomain = at < 0 ? address
                : address.substring(0, at + 1) + address.substring(at + 1).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(lowerCaseDomain, Normalizer.Form.NFC);
    }
}
