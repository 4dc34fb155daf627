package io.signuppipeline.messaging.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaskedEmailTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "ada.lovelace@example.com | a***@example.com",
            "A@example.com            | A***@example.com",
            "odd@local@example.com    | o***@example.com",
            "émile@example.fr         | é***@example.fr",
            "@example.com             | ***",
            "ada@                     | ***",
            "not an address           | ***",
            "NULL                     | ***"})
    void keepsOnlyTheFirstLetterAndTheDomain(String email, String masked) {
        assertThat(MaskedEmail.of(email)).hasToString(masked);
    }
}
