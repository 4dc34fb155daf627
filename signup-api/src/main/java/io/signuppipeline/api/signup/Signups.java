package io.signuppipeline.api.signup;

import io.signuppipeline.events.CloudEvent;
import io.signuppipeline.events.SignupTopology;
import io.signuppipeline.events.UserSignedUp;
import io.signuppipeline.messaging.logging.MaskedEmail;
import io.signuppipeline.messaging.outbox.Outbox;
import io.signuppipeline.messaging.outbox.OutboxEntry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.IdGenerator;

/**
 * Accepts signups: the user row and its {@code user.signed_up} event, in one transaction
 * ({@link SignupCommits}), and reads them back.
 *
 * <p>Nothing here talks to the broker or to any downstream system; that is the whole point.
 */
@Service
class Signups {

    private static final Logger log = LoggerFactory.getLogger(Signups.class);
    static final String SOURCE = "/signup-api";

    private final Users users;
    private final Outbox outbox;
    private final SignupCommits commits;
    private final IdGenerator ids;

    Signups(Users users, Outbox outbox, SignupCommits commits, IdGenerator ids) {
        this.users = users;
        this.outbox = outbox;
        this.commits = commits;
        this.ids = ids;
    }

    /**
     * Commits the user row and its event, with those of the other signups arriving meanwhile.
     *
     * @throws EmailAlreadyRegistered when the address is taken, in any letter case
     */
    public User register(SignupRequest request, ClientInfo client) {
        long started = System.nanoTime();
        // PostgreSQL keeps microseconds: truncate so the row, the event and the answer agree.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        User user = new User(ids.generateId(), request.email(), request.name(), UserStatus.ACTIVE, now);
        UUID eventId = ids.generateId();
        UserSignedUp payload = new UserSignedUp(user.id(), user.email(), user.name(), client.ip(),
                client.userAgent());
        // The entry is made here, so that the event carries this request's trace.
        OutboxEntry event = outbox.entry(CloudEvent.of(eventId, SOURCE, UserSignedUp.TYPE, now, payload), user.id(),
                SignupTopology.USER_SIGNED_UP);
        if (!commits.commit(new PendingSignup(user, event))) {
            log.info("Signup refused: email={} is already registered", MaskedEmail.of(user.email()));
            throw new EmailAlreadyRegistered();
        }
        log.info("Signup accepted signupId={} eventId={} email={} in {} ms", user.id(), eventId,
                MaskedEmail.of(user.email()), (System.nanoTime() - started) / 1_000_000);
        return user;
    }

    @Transactional(readOnly = true)
    public User find(UUID id) {
        return users.findById(id).orElseThrow(() -> new SignupNotFound(id));
    }
}
