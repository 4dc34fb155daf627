package io.signuppipeline.api.status;

import io.micrometer.observation.Observation;
import io.signuppipeline.api.status.SignupSteps.StepKey;
import io.signuppipeline.events.RiskAssessed;
import io.signuppipeline.events.SignupStepAnnounced;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupStepFailed;
import io.signuppipeline.events.SignupStepReplayed;
import io.signuppipeline.messaging.consumer.ListenerObservations;
import io.signuppipeline.messaging.conversion.BatchedEvents;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.springframework.amqp.core.BatchMessageListener;
import org.springframework.amqp.core.Message;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a batch of the workers' results, and their announcements of the steps they do, to the
 * status tables in one transaction, with one
 * statement per run of results of one kind, in the order they arrived: a replay that follows a
 * failure undoes it, a failure that follows a replay stands, and DONE is final whatever comes.
 *
 * <p>The workers send their results several to a message; each is unpacked and applied as if it had
 * come alone. Applying a result twice changes nothing the second time, so redeliveries need no inbox here.
 * When the transaction fails (the database is down), the container rejects the batch into the
 * queue's first retry tier and it comes back later; a result that can never be read is parked alone.
 */
class StepResultsListener implements BatchMessageListener {

    private final SignupSteps steps;
    private final StepAnnouncements announcements;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final StepResultsLog log;
    private final ListenerObservations observations;

    StepResultsListener(SignupSteps steps, StepAnnouncements announcements, TransactionTemplate transactions,
            ApplicationEventPublisher events, StepResultsLog log, ListenerObservations observations) {
        this.steps = steps;
        this.announcements = announcements;
        this.transactions = transactions;
        this.events = events;
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
            applied = transactions.execute(status -> apply(results));
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

    /** Every result, and whether it changed anything. */
    private Map<StepResult, Boolean> apply(List<StepResult> results) {
        Map<StepResult, Boolean> applied = new IdentityHashMap<>();
        List<StepResult> run = new ArrayList<>();
        for (StepResult result : results) {
            if (!run.isEmpty() && !run.getFirst().type().equals(result.type())) {
                applyRun(run, applied);
                run.clear();
            }
            run.add(result);
        }
        applyRun(run, applied);
        return applied;
    }

    private void applyRun(List<StepResult> run, Map<StepResult, Boolean> applied) {
        if (run.isEmpty() || run.getFirst().data() == null) {
            return;
        }
        switch (run.getFirst().data()) {
            case SignupStepCompleted ignored -> changed(onePerStep(run, true), StepState.DONE, applied,
                    list -> steps.completed(data(list, SignupStepCompleted.class)));
            case SignupStepFailed ignored -> changed(onePerStep(run, false), StepState.FAILED, applied,
                    list -> steps.failed(data(list, SignupStepFailed.class)));
            case SignupStepReplayed ignored -> changed(onePerStep(run, true), StepState.PENDING, applied,
                    list -> steps.replayed(data(list, SignupStepReplayed.class)));
            case RiskAssessed ignored -> flag(run, applied);
            case SignupStepAnnounced ignored -> announced(run, applied);
            default -> { }
        }
    }

    private void changed(List<StepResult> results, StepState state, Map<StepResult, Boolean> applied,
            java.util.function.Function<List<StepResult>, Set<StepKey>> statement) {
        Set<StepKey> changed = statement.apply(results);
        for (StepResult result : results) {
            boolean change = changed.contains(result.step());
            applied.put(result, change);
            if (change) {
                events.publishEvent(new StepChanged(result.step().signupId(), result.step().step(), state));
            }
        }
    }

    private void announced(List<StepResult> run, Map<StepResult, Boolean> applied) {
        List<StepAnnouncements.Change> changes = announcements.record(run.stream().map(result ->
                new StepAnnouncements.Announcement((SignupStepAnnounced) result.data(), result.time())).toList());
        run.forEach(result -> applied.put(result, changes.stream()
                .anyMatch(change -> change.announcement().data() == result.data())));
    }

    private void flag(List<StepResult> run, Map<StepResult, Boolean> applied) {
        List<StepResult> flagging = run.stream().filter(result -> ((RiskAssessed) result.data()).flagsUser()).toList();
        Set<UUID> flagged = flagging.isEmpty() ? Set.of() : steps.flag(flagging.stream()
                .map(result -> ((RiskAssessed) result.data()).userId()).toList());
        run.forEach(result -> applied.put(result, flagged.contains(((RiskAssessed) result.data()).userId())));
    }

    /**
     * One result per step of a signup, as one statement needs: the first of a step when the first
     * one counts (DONE is final), the last when the last one does (a later failure's reason).
     */
    private static List<StepResult> onePerStep(List<StepResult> run, boolean firstWins) {
        Map<StepKey, StepResult> byStep = new LinkedHashMap<>();
        for (StepResult result : run) {
            if (firstWins) {
                byStep.putIfAbsent(result.step(), result);
            } else {
                byStep.put(result.step(), result);
            }
        }
        return List.copyOf(byStep.values());
    }

    private static <T> List<T> data(List<StepResult> results, Class<T> type) {
        return results.stream().map(result -> type.cast(result.data())).toList();
    }
}
