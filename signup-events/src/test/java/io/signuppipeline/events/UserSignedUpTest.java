package io.signuppipeline.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class UserSignedUpTest {

    private static final UUID USER = UUID.randomUUID();

    @ParameterizedTest
    @ValueSource(strings = {"ada@example.com", "o'brien+tag@sub.example.co.uk", "ada@例え.jp"})
    void anEventAsTheApiPublishesItHasNoDefect(String email) {
        assertThat(new UserSignedUp(USER, email, "Ada Lovelace", "127.0.0.1", null).defect()).isNull();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "not-an-email", "@example.com", "ada@", "ada@b@example.com", "ada @example.com",
        "ada@example.com, eve@example.net", "ada@example.com\r\nBcc: eve@example.net", "ada@exam\u00a0ple.com",
        "Ada <ada@example.com>"})
    void anEmailThatIsNotOneAddressIsADefect(String email) {
        assertThat(new UserSignedUp(USER, email, "Ada", "127.0.0.1", null).defect())
                .isEqualTo("no email address of the form name@domain");
    }

    @ParameterizedTest
    @ValueSource(ints = {254, 255})
    void anAddressLongerThanAPathMayBeIsADefect(int length) {
        String email = "a".repeat(length - "@example.com".length()) + "@example.com";
        assertThat(new UserSignedUp(USER, email, "Ada", "127.0.0.1", null).defect() == null).isEqualTo(length <= 254);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = "")
    void noNameIsADefect(String name) {
        assertThat(new UserSignedUp(USER, "ada@example.com", name, "127.0.0.1", null).defect()).isEqualTo("no name");
    }

    @ParameterizedTest
    @NullSource
    void noUserIdIsADefect(UUID userId) {
        assertThat(new UserSignedUp(userId, "ada@example.com", "Ada", "127.0.0.1", null).defect())
                .isEqualTo("no user id");
    }
}
