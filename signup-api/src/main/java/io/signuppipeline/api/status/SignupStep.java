package io.signuppipeline.api.status;

import io.signuppipeline.api.status.SignupSteps.StepKey;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One step of one signup that a worker has reported on, a row of {@code signup.signup_steps}; a
 * step with no row is still PENDING.
 *
 * <p>Read as an entity; written only by {@link SignupSteps}' batch statements, one per batch of
 * results, which keep DONE final in SQL.
 */
@Entity
@Table(name = "signup_steps")
@IdClass(StepKey.class)
class SignupStep {

    @Id
    private UUID signupId;

    @Id
    private String step;

    @Enumerated(EnumType.STRING)
    private StepState state;

    private Instant at;

    private Long durationMs;

    private String detail;

    private boolean ambiguous;

    /** For JPA. */
    protected SignupStep() {
    }

    UUID signupId() {
        return signupId;
    }

    String step() {
        return step;
    }

    StepStatus status() {
        return new StepStatus(state, at, durationMs, detail, ambiguous);
    }
}
