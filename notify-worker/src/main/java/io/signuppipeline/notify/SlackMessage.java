package io.signuppipeline.notify;

import io.signuppipeline.messaging.logging.MaskedEmail;

/**
 * The text announcing a signup: {@code New signup: Ada L. (a***@example.com)}.
 *
 * <p>The name is the user's own input, so Slack's control characters are escaped: without that a
 * name like {@code <!channel>} would ping everyone, {@code <@U123>} a colleague, and
 * {@code <https://evil.example|click>} would render as a link.
 */
final class SlackMessage {

    private SlackMessage() {
    }

    static String announce(String name, String email) {
        return "New signup: " + escape(shortName(name)) + " (" + escape(MaskedEmail.of(email).toString()) + ")";
    }

    /** First name and the initial of the last: as much as a channel needs to know. */
    static String shortName(String name) {
        String[] parts = name.strip().split("\\s+");
        if (parts.length == 1) {
            return parts[0];
        }
        String last = parts[parts.length - 1];
        return parts[0] + " " + last.substring(0, last.offsetByCodePoints(0, 1)) + ".";
    }

    /** Slack's escaping for message text: these three characters, nothing else. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
