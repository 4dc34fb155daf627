package io.signuppipeline.faultinjection;

import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.events.Worker;
import io.signuppipeline.testing.TestServices;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * What the pipeline recorded, read straight from the run's database: the signup API's users,
 * outbox and step status (schema {@code signup}) and the fraud worker's assessments (schema
 * {@code fraud}). Each question opens a fresh connection, so the ledger works again as soon as a
 * restarted PostgreSQL does.
 */
final class SignupLedger {

    static final List<String> STEPS = Worker.steps();

    private final JdbcClient jdbc;

    SignupLedger(TestServices.Postgres postgres) {
        this.jdbc = JdbcClient.create(new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(),
                postgres.password()));
    }

    /** How many of the cohort's signups each step has finished, e.g. {@code {billing=812, email=790, ...}}. */
    Map<String, Long> doneByStep(Cohort cohort) {
        Map<String, Long> done = new TreeMap<>();
        STEPS.forEach(step -> done.put(step, 0L));
        jdbc.sql("""
                SELECT s.step, count(*) AS done FROM signup.signup_steps s JOIN signup.users u ON u.id = s.signup_id
                WHERE u.email LIKE :pattern AND s.state = 'DONE' GROUP BY s.step
                """).param("pattern", cohort.emailPattern())
                .query((row, n) -> Map.entry(row.getString("step"), row.getLong("done")))
                .list().forEach(entry -> done.put(entry.getKey(), entry.getValue()));
        return done;
    }

    /** How many of the cohort's signups have {@code step} in {@code state} (DONE or FAILED). */
    long inState(Cohort cohort, String step, String state) {
        return jdbc.sql("""
                SELECT count(*) FROM signup.signup_steps s JOIN signup.users u ON u.id = s.signup_id
                WHERE u.email LIKE :pattern AND s.step = :step AND s.state = :state
                """).param("pattern", cohort.emailPattern()).param("step", step).param("state", state)
                .query(Long.class).single();
    }

    /** How many of the cohort's signups show {@code step} DONE but ambiguous: it may have happened twice. */
    long ambiguous(Cohort cohort, String step) {
        return jdbc.sql("""
                SELECT count(*) FROM signup.signup_steps s JOIN signup.users u ON u.id = s.signup_id
                WHERE u.email LIKE :pattern AND s.step = :step AND s.ambiguous
                """).param("pattern", cohort.emailPattern()).param("step", step).query(Long.class).single();
    }

    /** The cohort's signups whose four steps are all DONE. */
    Set<UUID> fullyProcessed(Cohort cohort) {
        return new HashSet<>(jdbc.sql("""
                SELECT s.signup_id FROM signup.signup_steps s JOIN signup.users u ON u.id = s.signup_id
                WHERE u.email LIKE :pattern AND s.state = 'DONE' GROUP BY s.signup_id HAVING count(*) = :steps
                """).param("pattern", cohort.emailPattern()).param("steps", STEPS.size())
                .query(UUID.class).list());
    }

    /**
     * Per step, the longest time between two of the cohort's signups finishing it, in
     * milliseconds: under a steady load, how long the step stood still.
     */
    Map<String, Long> longestStallMillis(Cohort cohort) {
        Map<String, Long> stalls = new TreeMap<>();
        jdbc.sql("""
                SELECT step, coalesce(round(extract(epoch FROM max(gap)) * 1000), 0) AS stall FROM (
                    SELECT s.step, s.at - lag(s.at) OVER (PARTITION BY s.step ORDER BY s.at) AS gap
                    FROM signup.signup_steps s JOIN signup.users u ON u.id = s.signup_id
                    WHERE u.email LIKE :pattern AND s.state = 'DONE') gaps
                GROUP BY step
                """).param("pattern", cohort.emailPattern())
                .query((row, n) -> Map.entry(row.getString("step"), row.getLong("stall")))
                .list().forEach(entry -> stalls.put(entry.getKey(), entry.getValue()));
        return stalls;
    }

    /** Risk assessments beyond the first one of a signup, over the cohort. */
    long extraRiskAssessments(Cohort cohort) {
        return jdbc.sql("""
                SELECT coalesce(sum(n - 1), 0) FROM (
                    SELECT count(*) AS n FROM fraud.risk_assessments r JOIN signup.users u ON u.id = r.signup_id
                    WHERE u.email LIKE :pattern GROUP BY r.signup_id) per_signup
                """).param("pattern", cohort.emailPattern()).query(Long.class).single();
    }

    /** The cohort's addresses that have a user row. */
    Set<String> registeredEmails(Cohort cohort) {
        return jdbc.sql("SELECT email FROM signup.users WHERE email LIKE :pattern")
                .param("pattern", cohort.emailPattern()).query(String.class).stream().collect(Collectors.toSet());
    }

    /** Users, of any scenario, whose {@code user.signed_up} event is not in the outbox. */
    long usersWithoutEvent() {
        return jdbc.sql("""
                SELECT count(*) FROM signup.users u WHERE NOT EXISTS (
                    SELECT 1 FROM signup.outbox o WHERE o.signup_id = u.id AND o.event_type = :type)
                """).param("type", UserSignedUp.TYPE).query(Long.class).single();
    }

    /** {@code user.signed_up} events in the outbox, of any scenario, whose user does not exist. */
    long eventsWithoutUser() {
        return jdbc.sql("""
                SELECT count(*) FROM signup.outbox o WHERE o.event_type = :type AND NOT EXISTS (
                    SELECT 1 FROM signup.users u WHERE u.id = o.signup_id)
                """).param("type", UserSignedUp.TYPE).query(Long.class).single();
    }

    /**
     * Writes out now what earlier scenarios (before the first, earlier test modules) left in
     * PostgreSQL's buffers (CHECKPOINT, as the superuser), so that a scheduled checkpoint's burst of
     * disk writes does not land in the middle of the next scenario's load and slow every commit.
     */
    void checkpoint() {
        jdbc.sql("CHECKPOINT").update();
    }
}
