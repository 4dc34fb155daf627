package io.signuppipeline.api.pipeline;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The API's own events that are not published yet. reliable-messaging keeps its outbox queries to
 * itself, so this asks the table in the API's schema directly.
 */
@Repository
class OutboxBacklog {

    private final JdbcClient jdbc;

    OutboxBacklog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    PipelineView.Outbox now() {
        return jdbc.sql("""
                SELECT count(*) AS unpublished,
                       EXTRACT(EPOCH FROM now() - min(created_at))::double precision AS oldest_seconds
                FROM outbox
                WHERE published_at IS NULL
                """)
                .query((rs, row) -> new PipelineView.Outbox(rs.getLong("unpublished"),
                        rs.getObject("oldest_seconds", Double.class)))
                .single();
    }
}
