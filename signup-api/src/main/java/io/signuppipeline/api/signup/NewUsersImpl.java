package io.signuppipeline.api.signup;

import java.sql.Timestamp;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link NewUsers} in SQL, a fragment of the {@link Users} repository.
 *
 * <p>ON CONFLICT makes concurrent signups with one address safe without a prior SELECT: the unique
 * index decides, and a racing insert waits for the winner to commit and then inserts nothing; so
 * does the second of two rows with one address in the same statement. With {@code persist} instead,
 * a taken address would fail the statement, abort the transaction and have Hibernate log an SQL
 * error for each refusal. And {@code JdbcClient} rather than a native query of the repository,
 * which doubled the POST's time in {@code Signups.register} (docs/architecture.md, "Entities and
 * SQL"). It runs on the connection of the JPA transaction, which the transaction manager shares.
 */
class NewUsersImpl implements NewUsers {

    private final JdbcClient jdbc;

    NewUsersImpl(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<UUID> insertWhereEmailFree(List<User> users) {
        int size = users.size();
        UUID[] id = new UUID[size];
        String[] email = new String[size];
        String[] name = new String[size];
        String[] status = new String[size];
        Timestamp[] createdAt = new Timestamp[size];
        for (int i = 0; i < size; i++) {
            User user = users.get(i);
            id[i] = user.id();
            email[i] = user.email();
            name[i] = user.name();
            status[i] = user.status().name();
            createdAt[i] = Timestamp.from(user.createdAt());
        }
        // WITH ORDINALITY ... ORDER BY: the rows go in the list's order, so that of two with one address
        // the first is the one inserted.
        return new HashSet<>(jdbc.sql("""
                INSERT INTO users (id, email, name, status, created_at)
                SELECT id, email, name, status, created_at
                FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::timestamptz[]) WITH ORDINALITY
                    AS u (id, email, name, status, created_at, position)
                ORDER BY position
                ON CONFLICT (lower(email)) DO NOTHING
                RETURNING id
                """).params(id, email, name, status, createdAt).query(UUID.class).list());
    }
}
