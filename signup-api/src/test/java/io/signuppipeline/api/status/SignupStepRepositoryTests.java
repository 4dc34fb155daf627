package io.signuppipeline.api.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.signuppipeline.api.SignupRepositoryTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jpa.test.autoconfigure.TestEntityManager;

/**
 * The status rows read back as entities, against this run's PostgreSQL.
 */
@SignupRepositoryTest
class SignupStepRepositoryTests {

    @Autowired
    SignupStepRepository steps;

    @Autowired
    TestEntityManager entities;

    @Test
    void theAskedSignupsStepsAreReadInStepOrderWithEveryColumn() {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        insert(first, "email", "DONE", at, 120L, "<id@example.com>", true);
        insert(first, "billing", "FAILED", at, null, "after 6 attempts: Stripe down", false);
        insert(second, "fraud", "DONE", at, 310L, "score 12: ALLOW", false);
        insert(other, "email", "DONE", at, 90L, "<other@example.com>", false);

        List<SignupStep> read = steps.findBySignupIdInOrderByStep(List.of(first, second));

        assertThat(read).extracting(SignupStep::signupId, SignupStep::step)
                .containsExactly(tuple(first, "billing"), tuple(first, "email"), tuple(second, "fraud"));
        assertThat(read.get(1).status())
                .isEqualTo(new StepStatus(StepState.DONE, at, 120L, "<id@example.com>", true));
        assertThat(read.get(0).status())
                .isEqualTo(new StepStatus(StepState.FAILED, at, null, "after 6 attempts: Stripe down", false));
    }

    private void insert(UUID signupId, String step, String state, Instant at, Long durationMs, String detail,
            boolean ambiguous) {
        entities.getEntityManager().createNativeQuery("""
                INSERT INTO signup_steps (signup_id, step, state, at, duration_ms, detail, ambiguous)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                """).setParameter(1, signupId).setParameter(2, step).setParameter(3, state).setParameter(4, at)
                .setParameter(5, durationMs).setParameter(6, detail).setParameter(7, ambiguous)
                .executeUpdate();
    }
}
