package io.signuppipeline.api.status;

import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupStepFailed;
import io.signuppipeline.events.SignupStepReplayed;
import java.io.Serializable;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The per-signup status table, written from the workers' result events. Which steps a signup has
 * comes from {@link KnownSteps}: those announced before it was created.
 *
 * <p>Rows are read as {@link SignupStep} entities. Results are written in batches, one SQL statement
 * per batch over arrays of columns ({@code unnest}), because the burst's status keeps up with the
 * workers only that way; each statement keeps DONE final in its WHERE clause.
 */
@Repository
public class SignupSteps {

    private final SignupStepRepository rows;
    private final JdbcClient jdbc;
    private final KnownSteps known;

    SignupSteps(SignupStepRepository rows, JdbcClient jdbc, KnownSteps known) {
        this.rows = rows;
        this.jdbc = jdbc;
        this.known = known;
    }

    /**
     * Every step of the signup: those known when it was created, PENDING where no result has arrived,
     * then any other step that has reported a result for it.
     */
    public Map<String, StepStatus> of(UUID signupId, Instant createdAt) {
        return of(Map.of(signupId, createdAt)).get(signupId);
    }

    /** Every step of each signup, by the signup's id and creation time, in one query. */
    public Map<UUID, Map<String, StepStatus>> of(Map<UUID, Instant> createdAt) {
        Map<UUID, Map<String, StepStatus>> bySignup = new LinkedHashMap<>();
        createdAt.forEach((signupId, at) -> bySignup.put(signupId, known.pendingAt(at)));
        if (createdAt.isEmpty()) {
            return bySignup;
        }
        for (SignupStep row : rows.findBySignupIdInOrderByStep(createdAt.keySet())) {
            bySignup.get(row.signupId()).put(row.step(), row.status());
        }
        return bySignup;
    }

    /**
     * Marks each step DONE, unless it already is; ignores signups this API does not know. One
     * statement for the whole list, which must name each step of a signup once.
     *
     * @return the steps that changed
     */
    Set<StepKey> completed(List<SignupStepCompleted> results) {
        return changed("""
                INSERT INTO signup_steps (signup_id, step, state, at, duration_ms, detail, ambiguous)
                SELECT r.signup_id, r.step, 'DONE', r.at::timestamptz, r.duration_ms, r.detail, r.ambiguous
                FROM unnest(?::uuid[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::boolean[])
                    AS r (signup_id, step, at, duration_ms, detail, ambiguous)
                WHERE EXISTS (SELECT 1 FROM users WHERE id = r.signup_id)
                ON CONFLICT (signup_id, step) DO UPDATE
                    SET state = 'DONE', at = EXCLUDED.at, duration_ms = EXCLUDED.duration_ms, detail = EXCLUDED.detail,
                        ambiguous = EXCLUDED.ambiguous
                    WHERE signup_steps.state <> 'DONE'
                RETURNING signup_id, step
                """, column(results, SignupStepCompleted::signupId, UUID[]::new),
                column(results, SignupStepCompleted::step, String[]::new),
                column(results, result -> result.completedAt().toString(), String[]::new),
                column(results, SignupStepCompleted::durationMillis, Long[]::new),
                column(results, SignupStepCompleted::detail, String[]::new),
                column(results, SignupStepCompleted::ambiguous, Boolean[]::new));
    }

    /**
     * Marks each step FAILED, unless it is DONE: a later success wins over an earlier failure. One
     * statement for the whole list, which must name each step of a signup once.
     *
     * @return the steps that changed
     */
    Set<StepKey> failed(List<SignupStepFailed> failures) {
        return changed("""
                INSERT INTO signup_steps (signup_id, step, state, at, detail)
                SELECT r.signup_id, r.step, 'FAILED', r.at::timestamptz, r.detail
                FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[]) AS r (signup_id, step, at, detail)
                WHERE EXISTS (SELECT 1 FROM users WHERE id = r.signup_id)
                ON CONFLICT (signup_id, step) DO UPDATE
                    SET state = 'FAILED', at = EXCLUDED.at, duration_ms = NULL, detail = EXCLUDED.detail
                    WHERE signup_steps.state <> 'DONE'
                RETURNING signup_id, step
                """, column(failures, SignupStepFailed::signupId, UUID[]::new),
                column(failures, SignupStepFailed::step, String[]::new),
                column(failures, failure -> failure.failedAt().toString(), String[]::new),
                column(failures, failure -> "after " + failure.attempts() + " attempts: " + failure.reason(),
                        String[]::new));
    }

    /**
     * Turns each FAILED step back to PENDING (no row): its event was replayed and the result will follow.
     *
     * @return the steps that changed
     */
    Set<StepKey> replayed(List<SignupStepReplayed> replays) {
        return changed("""
                DELETE FROM signup_steps s
                USING unnest(?::uuid[], ?::text[]) AS r (signup_id, step)
                WHERE s.signup_id = r.signup_id AND s.step = r.step AND s.state = 'FAILED'
                RETURNING s.signup_id, s.step
                """, column(replays, SignupStepReplayed::signupId, UUID[]::new),
                column(replays, SignupStepReplayed::step, String[]::new));
    }

    /** Flags the users for review; answers those that exist here. */
    Set<UUID> flag(Collection<UUID> userIds) {
        return new HashSet<>(jdbc.sql("UPDATE users SET status = 'FLAGGED' WHERE id = ANY(?) RETURNING id")
                .params((Object) userIds.toArray(UUID[]::new)).query(UUID.class).list());
    }

    private Set<StepKey> changed(String sql, Object... columns) {
        return new HashSet<>(jdbc.sql(sql).params(columns)
                .query((rs, row) -> new StepKey(rs.getObject(1, UUID.class), rs.getString(2))).list());
    }

    private static <T, C> C[] column(List<T> rows, Function<T, C> value, IntFunction<C[]> array) {
        C[] column = array.apply(rows.size());
        for (int i = 0; i < column.length; i++) {
            column[i] = value.apply(rows.get(i));
        }
        return column;
    }

    /**
     * One step of one signup: the status table's key.
     *
     * @param signupId the signup
     * @param step the step's name
     */
    record StepKey(UUID signupId, String step) implements Serializable {
    }
}
