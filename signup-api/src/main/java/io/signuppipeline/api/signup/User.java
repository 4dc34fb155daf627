package io.signuppipeline.api.signup;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A user, one row of {@code signup.users}; its id is also the signup id.
 *
 * <p>Written once, by {@link Users#insertIfEmailFree}, and read back whole; only a risk assessment
 * changes its status afterwards, in a batch statement of its own.
 */
@Entity
@Table(name = "users")
class User {

    @Id
    private UUID id;

    /** The address as registered; unique whatever its letter case. */
    private String email;

    /** The display name. */
    private String name;

    /** Whether a risk assessment flagged the user. */
    @Enumerated(EnumType.STRING)
    private UserStatus status;

    /** When the signup was accepted. */
    private Instant createdAt;

    User(UUID id, String email, String name, UserStatus status, Instant createdAt) {
        this.id = id;
        this.email = email;
        this.name = name;
        this.status = status;
        this.createdAt = createdAt;
    }

    /** For JPA. */
    protected User() {
    }

    UUID id() {
        return id;
    }

    String email() {
        return email;
    }

    String name() {
        return name;
    }

    UserStatus status() {
        return status;
    }

    Instant createdAt() {
        return createdAt;
    }
}
