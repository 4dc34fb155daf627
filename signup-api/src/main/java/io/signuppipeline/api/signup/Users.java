package io.signuppipeline.api.signup;

import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code users} table.
 */
@Repository
class Users {

    private final JdbcClient jdbc;

    Users(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts the user unless the address is already registered in any letter case.
     *
     * <p>ON CONFLICT makes concurrent signups with one address safe without a prior SELECT: the
     * unique index decides, a racing insert waits for the winner to commit and then inserts nothing.
     *
     * @return whether the row was inserted
     */
    boolean insertIfEmailFree(User user) {
        return jdbc.sql("""
                INSERT INTO users (id, email, name, status, created_at)
                VALUES (:id, :email, :name, :status, :createdAt)
                ON CONFLICT (lower(email)) DO NOTHING
                """)
                .param("id", user.id())
                .param("email", user.email())
                .param("name", user.name())
                .param("status", user.status().name())
                .param("createdAt", Timestamp.from(user.createdAt()))
                .update() == 1;
    }

    Optional<User> findById(UUID id) {
        return jdbc.sql("SELECT id, email, name, status, created_at FROM users WHERE id = :id")
                .param("id", id)
                .query((rs, row) -> new User(
                        rs.getObject("id", UUID.class),
                        rs.getString("email"),
                        rs.getString("name"),
                        UserStatus.valueOf(rs.getString("status")),
                        rs.getTimestamp("created_at").toInstant()))
                .optional();
    }
}
