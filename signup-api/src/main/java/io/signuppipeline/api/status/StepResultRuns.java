package io.signuppipeline.api.status;

import io.signuppipeline.api.status.SignupSteps.StepKey;
import io.signuppipeline.events.RiskAssessed;
import io.signuppipeline.events.SignupStepAnnounced;
import io.signuppipeline.events.SignupStepCompleted;
import io.signuppipeline.events.SignupStepFailed;
import io.signuppipeline.events.SignupStepReplayed;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Applies a batch of results to the status tables, inside the caller's transaction, with one
 * statement per run of results of one kind, in the order they arrived: a replay that follows a
 * failure undoes it, a failure that follows a replay stands, and DONE is final whatever comes. Each
 * step that changed is published as a {@link StepChanged}, for the dashboard.
 */
class StepResultRuns {

    private final SignupSteps steps;
    private final StepAnnouncements announcements;
    private final ApplicationEventPublisher events;

    StepResultRuns(SignupSteps steps, StepAnnouncements announcements, ApplicationEventPublisher events) {
        this.steps = steps;
        this.announcements = announcements;
        this.events = events;
    }

    /** Applies every result; answers, for each, whether it changed anything. */
    Map<StepResult, Boolean> apply(List<StepResult> results) {
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
            Function<List<StepResult>, Set<StepKey>> statement) {
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
