package io.signuppipeline.api.status;

import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupStepFailed;
import io.signuppipeline.events.SignupStepReplayed;
import io.signuppipeline.events.SignupTopology;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The per-signup status table, written from the workers' result events.
 */
@Repository
public class SignupSteps {

    /** The steps in the order a person reads them. */
    static final List<String> STEPS = List.of(SignupTopology.EMAIL_STEP, SignupTopology.FRAUD_STEP,
            SignupTopology.BILLING_STEP, SignupTopology.NOTIFY_STEP);

    private final JdbcClient jdbc;

    SignupSteps(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The steps of a signup no result has arrived for: every one PENDING. */
    public static Map<String, StepStatus> pending() {
        Map<String, StepStatus> steps = new LinkedHashMap<>();
        STEPS.forEach(step -> steps.put(step, StepStatus.PENDING));
        return steps;
    }

    /** Every step of the signup, PENDING where no result has arrived. */
    public Map<String, StepStatus> of(UUID signupId) {
        return of(List.of(signupId)).get(signupId);
    }

    /** Every step of each signup, in one query, PENDING where no result has arrived. */
    public Map<UUID, Map<String, StepStatus>> of(Collection<UUID> signupIds) {
        Map<UUID, Map<String, StepStatus>> bySignup = new LinkedHashMap<>();
        signupIds.forEach(signupId -> bySignup.put(signupId, pending()));
        if (signupIds.isEmpty()) {
            return bySignup;
        }
        jdbc.sql("SELECT signup_id, step, state, at, duration_ms, detail FROM signup_steps WHERE signup_id IN (:ids)")
                .param("ids", signupIds)
                .query(rs -> {
                    bySignup.get(rs.getObject("signup_id", UUID.class)).put(rs.getString("step"), new StepStatus(
                            StepState.valueOf(rs.getString("state")), rs.getTimestamp("at").toInstant(),
                            rs.getObject("duration_ms", Long.class), rs.getString("detail")));
                });
        return bySignup;
    }

    /**
     * Marks the step DONE, unless it already is; ignores signups this API does not know.
     *
     * @return whether a row changed
     */
    boolean completed(SignupStepCompleted result) {
        return jdbc.sql("""
                INSERT INTO signup_steps (signup_id, step, state, at, duration_ms, detail)
                SELECT :signupId, :step, 'DONE', :at, :durationMs, :detail
                WHERE EXISTS (SELECT 1 FROM users WHERE id = :signupId)
                ON CONFLICT (signup_id, step) DO UPDATE
                    SET state = 'DONE', at = EXCLUDED.at, duration_ms = EXCLUDED.duration_ms, detail = EXCLUDED.detail
                    WHERE signup_steps.state <> 'DONE'
                """)
                .param("signupId", result.signupId())
                .param("step", result.step())
                .param("at", Timestamp.from(result.completedAt()))
                .param("durationMs", result.durationMillis())
                .param("detail", result.detail())
                .update() == 1;
    }

    /**
     * Marks the step FAILED, unless it is DONE: a later success wins over an earlier failure.
     *
     * @return whether a row changed
     */
    boolean failed(SignupStepFailed failure) {
        return jdbc.sql("""
                INSERT INTO signup_steps (signup_id, step, state, at, detail)
                SELECT :signupId, :step, 'FAILED', :at, :detail
                WHERE EXISTS (SELECT 1 FROM users WHERE id = :signupId)
                ON CONFLICT (signup_id, step) DO UPDATE
                    SET state = 'FAILED', at = EXCLUDED.at, duration_ms = NULL, detail = EXCLUDED.detail
                    WHERE signup_steps.state <> 'DONE'
                """)
                .param("signupId", failure.signupId())
                .param("step", failure.step())
                .param("at", Timestamp.from(failure.failedAt()))
                .param("detail", "after " + failure.attempts() + " attempts: " + failure.reason())
                .update() == 1;
    }

    /**
     * Turns a FAILED step back to PENDING (no row): its event was replayed and the result will follow.
     *
     * @return whether a row changed
     */
    boolean replayed(SignupStepReplayed replay) {
        return jdbc.sql("DELETE FROM signup_steps WHERE signup_id = :signupId AND step = :step AND state = 'FAILED'")
                .param("signupId", replay.signupId())
                .param("step", replay.step())
                .update() == 1;
    }

    /** Flags the user for review; answers whether the user exists here. */
    boolean flag(UUID userId) {
        return jdbc.sql("UPDATE users SET status = 'FLAGGED' WHERE id = :id").param("id", userId).update() == 1;
    }
}
