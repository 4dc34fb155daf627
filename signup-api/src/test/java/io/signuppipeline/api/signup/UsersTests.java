package io.signuppipeline.api.signup;

import static org.assertj.core.api.Assertions.assertThat;

import io.signuppipeline.api.SignupRepositoryTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The users repository against this run's PostgreSQL.
 */
@SignupRepositoryTest
class UsersTests {

    @Autowired
    Users users;

    @Test
    void aUserInsertedIsReadBackWhole() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        User ada = new User(UUID.randomUUID(), "ada-" + UUID.randomUUID() + "@example.com", "Ada", UserStatus.ACTIVE,
                now);

        assertThat(users.insertIfEmailFree(ada)).isTrue();

        User read = users.findById(ada.id()).orElseThrow();
        assertThat(read).isNotSameAs(ada);
        assertThat(read.email()).isEqualTo(ada.email());
        assertThat(read.name()).isEqualTo("Ada");
        assertThat(read.status()).isEqualTo(UserStatus.ACTIVE);
        assertThat(read.createdAt()).isEqualTo(now);
    }

    @Test
    void anAddressTakenInAnotherLetterCaseIsRefusedAndNothingIsWritten() {
        String address = "grace-" + UUID.randomUUID() + "@example.com";
        User grace = new User(UUID.randomUUID(), address, "Grace", UserStatus.ACTIVE, Instant.now());
        User again = new User(UUID.randomUUID(), address.toUpperCase(), "Grace H.", UserStatus.ACTIVE, Instant.now());

        assertThat(users.insertIfEmailFree(grace)).isTrue();
        assertThat(users.insertIfEmailFree(again)).isFalse();

        assertThat(users.findById(again.id())).isEmpty();
        assertThat(users.findById(grace.id())).hasValueSatisfying(user -> assertThat(user.name()).isEqualTo("Grace"));
    }
}
