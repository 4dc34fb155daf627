package io.signuppipeline.api.signup;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.repository.Repository;

/**
 * The {@code users} table: read as entities, inserted by {@link NewUsers} in SQL.
 */
interface Users extends Repository<User, UUID>, NewUsers {

    Optional<User> findById(UUID id);
}
