package io.signuppipeline.api.signup;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

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

    /** Label separators besides the dot in IDNA (UTS #46): 。 and its half-width form ｡ (NFKC makes ． a dot). */
    private static final Pattern IDEOGRAPHIC_FULL_STOPS = Pattern.compile("[\u3002\uFF61]");

    private EmailAddresses() {
    }

    /**
     * The canonical form of an address, so that one mailbox is one address. The local part in Unicode
     * NFC, so that {@code e} followed by a combining acute accent and the precomposed {@code é} are
     * one address; it keeps the case the user typed, since strictly it is the mail server's to
     * interpret (uniqueness ignores case anyway: {@code lower(email)}). The domain as DNS resolves it
     * (IDNA's mapping): NFKC, so that full-width {@code ｅｘａｍｐｌｅ} is {@code example}, the
     * ideographic full stops as dots, and lower case.
     */
    static String normalised(String address) {
        if (address == null) {
            return null;
        }
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return Normalizer.normalize(address, Normalizer.Form.NFC);
        }
        String domain = Normalizer.normalize(address.substring(at + 1), Normalizer.Form.NFKC);
        return Normalizer.normalize(address.substring(0, at + 1), Normalizer.Form.NFC)
                + IDEOGRAPHIC_FULL_STOPS.matcher(domain).replaceAll(".").toLowerCase(Locale.ROOT);
    }
}
