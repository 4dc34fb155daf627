package io.signuppipeline.api.signup;

import static org.assertj.core.api.Assertions.assertThat;

import io.signuppipeline.api.SignupRepositoryTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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

        assertThat(users.insertWhereEmailFree(List.of(ada))).containsExactly(ada.id());

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

        assertThat(users.insertWhereEmailFree(List.of(grace))).containsExactly(grace.id());
        assertThat(users.insertWhereEmailFree(List.of(again))).isEmpty();

        assertThat(users.findById(again.id())).isEmpty();
        assertThat(users.findById(grace.id())).hasValueSatisfying(user -> assertThat(user.name()).isEqualTo("Grace"));
    }

    @Test
    void ofAGroupOnlyTheRowsWithAFreeAddressGoInAndOfTwoWithOneAddressTheFirst() {
        String taken = "taken-" + UUID.randomUUID() + "@example.com";
        String shared = "shared-" + UUID.randomUUID() + "@example.com";
        assertThat(users.insertWhereEmailFree(List.of(user(taken, "First")))).hasSize(1);
        User free = user("free-" + UUID.randomUUID() + "@example.com", "Free");
        User takenAgain = user(taken.toUpperCase(), "Second");
        User sharedFirst = user(shared, "Shared first");
        User sharedSecond = user(shared.replace("shared", "SHARED"), "Shared second");

        assertThat(users.insertWhereEmailFree(List.of(free, takenAgain, sharedFirst, sharedSecond)))
                .containsExactlyInAnyOrder(free.id(), sharedFirst.id());

        assertThat(users.findById(takenAgain.id())).isEmpty();
        assertThat(users.findById(sharedSecond.id())).isEmpty();
        assertThat(users.findById(sharedFirst.id())).hasValueSatisfying(user -> assertThat(user.name()).isEqualTo("Shared first"));
    }

    private static User user(String email, String name) {
        return new User(UUID.randomUUID(), email, name, UserStatus.ACTIVE, Instant.now().truncatedTo(ChronoUnit.MICROS));
    }
}
