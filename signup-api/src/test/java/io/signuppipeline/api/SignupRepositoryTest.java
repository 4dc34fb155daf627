package io.signuppipeline.api;

import io.signuppipeline.testing.UsesTestServices;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;

/**
 * The API's JPA repositories alone, against this test run's own PostgreSQL database; each test
 * rolls back. The database is the one the whole API's tests migrate, reliable-messaging's tables
 * included, so Flyway here knows those migrations too, as the outbox's configuration tells it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@DataJpaTest(showSql = false, properties = "spring.flyway.locations=classpath:db/migration,classpath:db/messaging")
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@UsesTestServices
public @interface SignupRepositoryTest {
}
