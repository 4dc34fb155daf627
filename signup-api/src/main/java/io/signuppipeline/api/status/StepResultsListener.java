package io.signuppipeline.api.status;

import io.micrometer.observation.Observation;
import io.signuppipeline.messaging.consumer.ListenerObservations;
import io.signuppipeline.messaging.conversion.BatchedEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.amqp.core.BatchMessageListener;
import org.springframework.amqp.core.Message;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a batch of the workers' results, and their announcements of the steps they do, to the
 * status tables in one transaction ({@link StepResultRuns}), then logs each of them.
 *
 * <p>The workers send their results several to a message; each is unpacked and applied as if it had
 * come alone. Applying a result twice changes nothing the second time, so redeliveries need no inbox here.
 * When the transaction fails (the database is down), the container rejects the batch into the
 * queue's first retry tier and it comes back later; a result that can never be read is parked alone.
 */
class StepResultsListener implements BatchMessageListener {

    private final StepResultRuns runs;
    private final TransactionTemplate transactions;
    private final StepResultsLog log;
    private final ListenerObservations observations;

    StepResultsListener(SignupSteps steps, StepAnnouncements announcements, TransactionTemplate transactions,
            ApplicationEventPublisher events, StepResultsLog log, ListenerObservations observations) {
        this.runs = new StepResultRuns(steps, announcements, events);
        this.transactions = transactions;
        this.log = log;
        this.observations = observations;
    }

    @Override
    public void onMessageBatch(List<Message> messages) {
        List<StepResult> results = new ArrayList<>(messages.size());
        for (Message message : unpacked(messages)) {
            Observation observation = observations.start(message);
            try {
                results.add(StepResult.read(message, observation));
            } catch (StepResult.UnreadableResult unreadable) {
                log.park(message, unreadable);
                observation.stop();
            }
        }
        Map<StepResult, Boolean> applied;
        try {
            applied = transactions.execute(status -> runs.apply(results));
        } catch (RuntimeException failure) {
            results.forEach(result -> result.observation().error(failure).stop());
            throw failure;
        }
        results.forEach(result -> log.applied(result, Boolean.TRUE.equals(Objects.requireNonNull(applied).get(result))));
    }

    /**
     * One message per result: the workers send theirs several to a message (CloudEvents' batched
     * mode), each with its own id and trace. A batch that cannot be read is parked whole.
     */
    private List<Message> unpacked(List<Message> messages) {
        List<Message> results = new ArrayList<>(messages.size());
        for (Message message : messages) {
            if (!BatchedEvents.isBatch(message)) {
                results.add(message);
                continue;
            }
            try {
                results.addAll(BatchedEvents.unpack(message));
            } catch (BatchedEvents.UnreadableBatch unreadable) {
                log.park(message, new StepResult.UnreadableResult(unreadable.getMessage()));
            }
        }
        return results;
    }
}
