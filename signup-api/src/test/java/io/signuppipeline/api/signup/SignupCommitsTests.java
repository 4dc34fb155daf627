package io.signuppipeline.api.signup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.signuppipeline.api.Rows;
import io.signuppipeline.api.SignupApiTest;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.messaging.outbox.Outbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Signups committed a group at a time ({@link SignupCommits}, {@link SignupGroups}), by one writer
 * of their own beside the API's: while the writer waits on a group, the signups arriving go into
 * the next one together, and a row the database refuses fails alone.
 */
@SignupApiTest
class SignupCommitsTests {

    @Autowired
    Users users;

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
    SignupCommits commits;

    @BeforeEach
    void startOneWriter() {
        commits = new SignupCommits(new SignupGroups(users, outbox, transactions, events, meters),
                new SignupCommitsProperties(1, 10), meters);
        commits.start();
    }

    @AfterEach
    void stop() {
        commits.stop();
        requests.close();
    }

    @Test
    void signupsThatArriveWhileTheWriterWaitsAreCommittedTogetherInOneTransaction() throws Exception {
        PendingSignup first = signup("held-" + UUID.randomUUID() + "@example.com", "First");
        List<PendingSignup> next = List.of(signup("Second"), signup("Third"), signup("Fourth"), signup("Fifth"));

        try (Connection other = dataSource.getConnection()) {
            holdTheAddressUncommitted(other, first.user().email());
            CompletableFuture<Boolean> firstInserted = commit(first);
            await().until(() -> groups().count() == 1); // the writer waits on the other transaction
            List<CompletableFuture<Boolean>> nextInserted = next.stream().map(this::commit).toList();
            await().until(() -> meters.get("signups.commit.waiting").gauge().value() == next.size());
            other.rollback();

            assertThat(firstInserted.get()).isTrue();
            for (CompletableFuture<Boolean> inserted : nextInserted) {
                assertThat(inserted.get()).isTrue();
            }
        }

        assertThat(groups().count()).as("transactions").isEqualTo(2);
        assertThat(groups().max()).as("the largest group").isEqualTo(next.size());
        Rows rows = new Rows(jdbc);
        for (PendingSignup signup : next) {
            assertThat(users.findById(signup.user().id())).isPresent();
            assertThat(rows.outboxFor(signup.user().id())).as("its user.signed_up event").isEqualTo(1);
        }
    }

    @Test
    void aRowTheDatabaseRefusesFailsAloneAndTheRestOfItsGroupCommits() throws Exception {
        PendingSignup first = signup("held-" + UUID.randomUUID() + "@example.com", "First");
        PendingSignup good = signup("Good");
        PendingSignup refused = signup("A NUL \u0000 no text column takes");
        PendingSignup alsoGood = signup("Also good");

        try (Connection other = dataSource.getConnection()) {
            holdTheAddressUncommitted(other, first.user().email());
            CompletableFuture<Boolean> firstInserted = commit(first);
            await().until(() -> groups().count() == 1);
            List<CompletableFuture<Boolean>> group = List.of(commit(good), commit(refused), commit(alsoGood));
            await().until(() -> meters.get("signups.commit.waiting").gauge().value() == group.size());
            other.rollback();
            assertThat(firstInserted.get()).isTrue();
            await().until(() -> group.stream().allMatch(CompletableFuture::isDone));
        }

        assertThat(good.inserted()).isCompletedWithValue(true);
        assertThat(alsoGood.inserted()).isCompletedWithValue(true);
        assertThat(refused.inserted()).isCompletedExceptionally();
        assertThat(refused.inserted().exceptionNow()).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(users.findById(good.user().id())).isPresent();
        assertThat(users.findById(alsoGood.user().id())).isPresent();
        assertThat(users.findById(refused.user().id())).isEmpty();
        assertThat(new Rows(jdbc).outboxFor(refused.user().id())).isZero();
        assertThat(groups().count()).as("the held one, the group of three, then each of the three alone").isEqualTo(5);
    }

    /** Another transaction inserts the address and neither commits nor rolls back yet. */
    private static void holdTheAddressUncommitted(Connection other, String email) throws Exception {
        other.setAutoCommit(false);
        try (PreparedStatement insert = other.prepareStatement(
                "INSERT INTO users (id, email, name, status, created_at) VALUES (?, ?, 'Other', 'ACTIVE', now())")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, email);
            insert.executeUpdate();
        }
    }

    private CompletableFuture<Boolean> commit(PendingSignup signup) {
        return CompletableFuture.supplyAsync(() -> commits.commit(signup), requests);
    }

    private DistributionSummary groups() {
        return meters.get("signups.commit.group").summary();
    }

    private PendingSignup signup(String name) {
        return signup("group-" + UUID.randomUUID() + "@example.com", name);
    }

    private PendingSignup signup(String email, String name) {
        User user = new User(UUID.randomUUID(), email, name, UserStatus.ACTIVE,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        UserSignedUp event = new UserSignedUp(user.id(), email, name, "127.0.0.1", "SignupCommitsTests");
        return new PendingSignup(user, outbox.entry(UserSignedUp.TYPE, event, user.id(), SignupTopology.USER_SIGNED_UP));
    }
}
