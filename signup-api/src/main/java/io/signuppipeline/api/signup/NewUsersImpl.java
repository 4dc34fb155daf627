package io.signuppipeline.api.signup;

import java.sql.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link NewUsers} in SQL, a fragment of the {@link Users} repository.
 *
 * <p>ON CONFLICT makes concurrent signups with one address safe without a prior SELECT: the unique
 * index decides, and a racing insert waits for the winner to commit and then inserts nothing. With
 * {@code persist} instead, a taken address would fail the statement, abort the transaction and have
 * Hibernate log an SQL error for each refusal. And {@code JdbcClient} rather than a native query of
 * the repository, which doubled the POST's time in {@code Signups.register} (docs/architecture.md,
 * "Entities and SQL"). It runs on the connection of the JPA transaction, which the transaction
 * manager shares.
 */
class NewUsersImpl implements NewUsers {

    private final JdbcClient jdbc;

    NewUsersImpl(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean insertIfEmailFree(User user) {
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
}
