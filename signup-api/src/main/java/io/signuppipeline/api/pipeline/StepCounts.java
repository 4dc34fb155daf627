package io.signuppipeline.api.pipeline;

import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * How many signups each step has finished, and how many it gave up on, from the status table the
 * workers' results feed.
 */
@Repository
class StepCounts {

    private final JdbcClient jdbc;

    StepCounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Per step name; a step with no results yet is missing. */
    Map<String, Count> byStep() {
        return jdbc.sql("""
                SELECT step,
                       count(*) FILTER (WHERE state = 'DONE')   AS processed,
                       count(*) FILTER (WHERE state = 'FAILED') AS failed
                FROM signup_steps
                GROUP BY step
                """)
                .query((rs, row) -> Map.entry(rs.getString("step"),
                        new Count(rs.getLong("processed"), rs.getLong("failed"))))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * One step's results.
     *
     * @param processed signups whose step is DONE
     * @param failed signups whose step is FAILED: parked in the worker's dead-letter queue
     */
    record Count(long processed, long failed) {

        static final Count NONE = new Count(0, 0);
    }
}
