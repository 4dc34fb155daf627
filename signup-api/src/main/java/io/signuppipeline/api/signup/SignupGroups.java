package io.signuppipeline.api.signup;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.signuppipeline.messaging.outbox.Outbox;
import io.signuppipeline.messaging.outbox.OutboxEntry;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a group of signups in one transaction: their user rows in one statement, the events of
 * those inserted in another, one commit; then tells each signup's request what became of it.
 */
@Component
class SignupGroups {

    private static final Logger log = LoggerFactory.getLogger(SignupGroups.class);

    private final Users users;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final DistributionSummary sizes;

    SignupGroups(Users users, Outbox outbox, TransactionTemplate transactions, ApplicationEventPublisher events,
            MeterRegistry meters) {
        this.users = users;
        this.outbox = outbox;
        this.transactions = transactions;
        this.events = events;
        this.sizes = DistributionSummary.builder("signups.commit.group")
                .description("Signups committed together in one transaction")
                .register(meters);
    }

    /**
     * Commits the group and completes each signup's answer: inserted or not, or the failure. A
     * group the database refuses as a whole is committed again one signup at a time, so that one
     * row it cannot store, or a deadlock with another writer, fails no other signup; a group that
     * fails because the database is away fails each signup with that failure.
     */
    void commit(List<PendingSignup> group) {
        sizes.record(group.size());
        try {
            Set<UUID> inserted = transactions.execute(status -> insert(group));
            group.forEach(signup -> signup.inserted().complete(inserted.contains(signup.user().id())));
        } catch (DataIntegrityViolationException | PessimisticLockingFailureException e) {
            if (group.size() == 1) {
                group.getFirst().inserted().completeExceptionally(e);
                return;
            }
            log.warn("A group of {} signups did not commit ({}); committing each alone", group.size(),
                    e.getClass().getSimpleName());
            group.forEach(signup -> commit(List.of(signup)));
        } catch (RuntimeException | Error e) {
            group.forEach(signup -> signup.inserted().completeExceptionally(e));
        }
    }

    private Set<UUID> insert(List<PendingSignup> group) {
        Set<UUID> inserted = users.insertWhereEmailFree(group.stream().map(PendingSignup::user).toList());
        List<OutboxEntry> accepted = group.stream().filter(signup -> inserted.contains(signup.user().id()))
                .map(PendingSignup::event).toList();
        outbox.append(accepted);
        accepted.forEach(event -> events.publishEvent(new SignupAccepted(event.signupId())));
        return inserted;
    }
}
