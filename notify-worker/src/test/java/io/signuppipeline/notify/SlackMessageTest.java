package io.signuppipeline.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlackMessageTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Ada Lovelace            | ada@example.com   | New signup: Ada L. (a***@example.com)",
            "Grace Brewster Hopper   | grace@example.com | New signup: Grace H. (g***@example.com)",
            "Plato                   | plato@example.com | New signup: Plato (p***@example.com)",
            "Émile Zola              | emile@example.fr  | New signup: Émile Z. (e***@example.fr)",
            "<!channel>              | eve@example.com   | New signup: &lt;!channel&gt; (e***@example.com)",
            "<@U123> x               | eve@example.com   | New signup: &lt;@U123&gt; x. (e***@example.com)",
            "<https://evil.example> me | eve@example.com   | New signup: &lt;https://evil.example&gt; m. (e***@example.com)",
            "Tom & Jerry             | tj@example.com    | New signup: Tom J. (t***@example.com)"})
    void announcesFirstNameAndInitialWithSlackMarkupEscaped(String name, String email, String text) {
        assertThat(SlackMessage.announce(name, email)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a & b | a &amp; b", "<b> | &lt;b&gt;", "plain | plain"})
    void escapesExactlyTheThreeCharactersSlackReserves(String text, String escaped) {
        assertThat(SlackMessage.escape(text)).isEqualTo(escaped);
    }
}
