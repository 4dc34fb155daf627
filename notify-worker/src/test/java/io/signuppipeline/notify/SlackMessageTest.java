package io.signuppipeline.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SlackMessageTest {

    static Stream<Arguments> announcements() {
        return Stream.of(
                arguments("Ada Lovelace", "ada@example.com", "New signup: Ada L. (a***@example.com)"),
                arguments("Grace Brewster Hopper", "grace@example.com", "New signup: Grace H. (g***@example.com)"),
                arguments("Plato", "plato@example.com", "New signup: Plato (p***@example.com)"),
                arguments("Émile Zola", "emile@example.fr", "New signup: Émile Z. (e***@example.fr)"),
                arguments("<!channel>", "eve@example.com", "New signup: &lt;!channel&gt; (e***@example.com)"),
                arguments("<@U123> x", "eve@example.com", "New signup: &lt;@U123&gt; x. (e***@example.com)"),
                arguments("<https://evil.example|click> me", "eve@example.com",
                        "New signup: &lt;https://evil.example|click&gt; m. (e***@example.com)"),
                arguments("Tom & Jerry", "tj@example.com", "New signup: Tom J. (t***@example.com)"),
                arguments("Eve", "eve@<!here>", "New signup: Eve (e***@&lt;!here&gt;)"),
                arguments("Ada\nNew signup: Grace", "ada@example.com", "New signup: Ada G. (a***@example.com)"),
                arguments("Ada\u2028Lovelace", "ada@example.com", "New signup: Ada L. (a***@example.com)"),
                arguments("\u202Eecalevol Ada", "ada@example.com", "New signup: ecalevol A. (a***@example.com)"),
                arguments("Ada\u0000\u001b[31m", "ada@example.com", "New signup: Ada [. (a***@example.com)"));
    }

    @ParameterizedTest
    @MethodSource("announcements")
    void announcesFirstNameAndInitialOnOneLineWithSlackMarkupEscaped(String name, String email, String text) {
        assertThat(SlackMessage.announcing(name, email).text()).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a & b | a &amp; b", "<b> | &lt;b&gt;", "plain | plain"})
    void escapesExactlyTheThreeCharactersSlackReserves(String text, String escaped) {
        assertThat(SlackMessage.escape(text)).isEqualTo(escaped);
    }

    @Test
    void postsTheTextAsItsNotificationAndAsAVerbatimSection() {
        SlackMessage message = new SlackMessage("New signup: http://evil.example (e***@example.com)");

        assertThat(message.webhookBody()).isEqualTo(Map.of(
                "text", message.text(),
                "blocks", List.of(Map.of("type", "section",
                        "text", Map.of("type", "mrkdwn", "text", message.text(), "verbatim", true)))));
    }
}
