package io.signuppipeline.notify;

import io.signuppipeline.messaging.logging.MaskedEmail;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The post announcing a signup: {@code New signup: Ada L. (a***@example.com)}.
 *
 * <p>The name and the address are the user's own input, so Slack must show them and do nothing else:
 * <ul>
 *   <li>{@code &}, {@code <} and {@code >}, Slack's control characters, are escaped, so that
 *       {@code <!channel>} or {@code <!here>} pings nobody, {@code <@U123>} and {@code <#C123>} mention
 *       nobody and {@code <https://evil.example|click>} is no link;</li>
 *   <li>the text is posted as a {@code verbatim} mrkdwn section, so that Slack does not turn a bare URL
 *       or channel name into a link nor parse mentions on its own; the top-level {@code text}, the same,
 *       is what notifications show;</li>
 *   <li>control characters, line separators and bidi controls become spaces, so that a name can
 *       neither add lines to the post nor reverse the address after it.</li>
 * </ul>
 *
 * @param text the message text, escaped
 */
record SlackMessage(String text) {

    private static final Pattern UNSAFE_IN_ONE_LINE =
            Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}\\u202A-\\u202E\\u2066-\\u2069]+");

    static SlackMessage announcing(String name, String email) {
        String masked = MaskedEmail.of(email).toString();
        return new SlackMessage("New signup: " + escape(shortName(name)) + " (" + escape(masked) + ")");
    }

    /** The incoming webhook's JSON body. */
    Map<String, Object> webhookBody() {
        Map<String, Object> section = Map.of("type", "section",
                "text", Map.of("type", "mrkdwn", "text", text, "verbatim", true));
        return Map.of("text", text, "blocks", List.of(section));
    }

    /** First name and the initial of the last, on one line: as much as a channel needs to know. */
    static String shortName(String name) {
        String[] parts = UNSAFE_IN_ONE_LINE.matcher(name).replaceAll(" ").strip().split("\\s+");
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
