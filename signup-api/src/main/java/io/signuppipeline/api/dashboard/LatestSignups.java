package io.signuppipeline.api.dashboard;

import io.signuppipeline.api.status.SignupSteps;
import io.signuppipeline.messaging.logging.MaskedEmail;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The latest signups with their steps, in two queries. Ids are UUIDv7, so the primary key's order is
 * the order of arrival and no index on the creation time is needed.
 */
@Repository
class LatestSignups {

    private final JdbcClient jdbc;
    private final SignupSteps steps;
    private final int limit;

    LatestSignups(JdbcClient jdbc, SignupSteps steps, DashboardProperties properties) {
        this.jdbc = jdbc;
        this.steps = steps;
        this.limit = properties.latest();
    }

    /** Newest first. */
    List<SignupRow> now() {
        List<SignupRow> users = jdbc.sql("SELECT id, email, status, created_at FROM users ORDER BY id DESC LIMIT :limit")
                .param("limit", limit)
                .query((rs, row) -> new SignupRow(rs.getObject("id", UUID.class),
                        MaskedEmail.of(rs.getString("email")).masked(), rs.getString("status"),
                        rs.getTimestamp("created_at").toInstant(), Map.of()))
                .list();
        Map<UUID, Instant> createdAt = new LinkedHashMap<>();
        users.forEach(user -> createdAt.put(user.id(), user.createdAt()));
        var stepsById = steps.of(createdAt);
        return users.stream()
                .map(user -> new SignupRow(user.id(), user.email(), user.status(), user.createdAt(),
                        stepsById.get(user.id())))
                .toList();
    }
}
