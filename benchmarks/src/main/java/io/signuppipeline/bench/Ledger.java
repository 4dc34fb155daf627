package io.signuppipeline.bench;

import io.signuppipeline.events.Worker;
import io.signuppipeline.testing.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the services recorded in the run's database, read as the administrator: how many signups
 * each worker has processed and how many of their steps are DONE.
 */
final class Ledger implements AutoCloseable {

    static final List<String> STEPS = Worker.steps();

    private final Connection connection;

    Ledger(TestServices.Postgres postgres) {
        try {
            connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the run's database " + postgres.jdbcUrl(), e);
        }
    }

    /** Steps DONE so far, per step, in {@link #STEPS} order. */
    synchronized Map<String, Long> done() {
        Map<String, Long> done = new LinkedHashMap<>();
        STEPS.forEach(step -> done.put(step, 0L));
        return query("SELECT step, count(*) FROM signup.signup_steps WHERE state = 'DONE' GROUP BY step", rows -> {
            while (rows.next()) {
                done.put(rows.getString(1), rows.getLong(2));
            }
            return done;
        });
    }

    /**
     * Signups each worker has processed so far, per step, read from the worker's own inbox (one row
     * per event it processed): what it did, before the API has heard of it.
     */
    synchronized Map<String, Long> processed() {
        Map<String, Long> processed = new LinkedHashMap<>();
        for (String step : STEPS) {
            processed.put(step, count("SELECT count(*) FROM " + step + ".inbox WHERE event_type = 'user.signed_up'"));
        }
        return processed;
    }

    /** Events the API's outbox has not yet published. */
    synchronized long unpublished() {
        return count("SELECT count(*) FROM signup.outbox WHERE published_at IS NULL");
    }

    /**
     * For every user of a cohort whose four steps are DONE: the index in its email and the sum of
     * the four step durations the workers reported, in milliseconds.
     */
    synchronized Map<Long, Long> stepDurationSums(String cohort) {
        return query("""
                SELECT u.email, sum(s.duration_ms)
                FROM signup.users u JOIN signup.signup_steps s ON s.signup_id = u.id AND s.state = 'DONE'
                WHERE u.email LIKE '%s-%%'
                GROUP BY u.email HAVING count(*) = 4
                """.formatted(cohort), rows -> {
                    Map<Long, Long> sums = new LinkedHashMap<>();
                    while (rows.next()) {
                        String email = rows.getString(1);
                        long index = Long.parseLong(email.substring(cohort.length() + 1, email.indexOf('@')));
                        sums.put(index, rows.getLong(2));
                    }
                    return sums;
                });
    }

    /** Transactions committed in the run's database so far, by every service and by this ledger. */
    synchronized long committedTransactions() {
        return count("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
    }

    synchronized String databaseVersion() {
        return query("SHOW server_version", rows -> rows.next() ? rows.getString(1) : "unknown");
    }

    /** "on" or "off": whether the server vacuums and analyzes tables by itself, which changes what a burst costs. */
    synchronized String autovacuum() {
        return query("SHOW autovacuum", rows -> rows.next() ? rows.getString(1) : "unknown");
    }

    /** The run's database size, to say how big the tables had grown. */
    synchronized List<String> tableSizes() {
        return query("""
                SELECT n.nspname || '.' || c.relname, pg_size_pretty(pg_total_relation_size(c.oid))
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 6
                """, rows -> {
                    List<String> sizes = new ArrayList<>();
                    while (rows.next()) {
                        sizes.add(rows.getString(1) + " " + rows.getString(2));
                    }
                    return sizes;
                });
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Closing: nothing left to read.
        }
    }

    private long count(String sql) {
        return query(sql, rows -> rows.next() ? rows.getLong(1) : 0L);
    }

    private <T> T query(String sql, RowReader<T> reader) {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return reader.read(rows);
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    private interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }
}
