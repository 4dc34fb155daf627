package io.signuppipeline.faultinjection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A steady load shared by the cluster pipeline's two APIs, half to each, as a load balancer would
 * spread it.
 */
final class ClusterLoad {

    private final List<LoadRun> runs;

    private ClusterLoad(List<LoadRun> runs) {
        this.runs = runs;
    }

    /** Up to {@code count} signups in all, {@code perSecond} in all. */
    static ClusterLoad steady(ClusterPipeline pipeline, Cohort cohort, int count, int perSecond) {
        List<LoadRun> runs = new ArrayList<>();
        int apis = pipeline.clients().size();
        for (int i = 0; i < apis; i++) {
            // Each API's load takes its own range of the cohort's addresses, so that the two never meet.
            runs.add(LoadRun.steady(pipeline.clients().get(i), cohort, count / apis, perSecond / apis, i * (count / apis)));
        }
        return new ClusterLoad(runs);
    }

    int sent() {
        return runs.stream().mapToInt(LoadRun::sent).sum();
    }

    /** Waits until about {@code more} signups beyond those sent so far have been sent, in all. */
    void awaitMore(int more) {
        runs.forEach(run -> run.awaitMore(more / runs.size()));
    }

    void finish() {
        runs.forEach(LoadRun::finish);
    }

    /** Every attempt of both loads, once every request sent has its answer. */
    List<SignupAttempt> join(Duration atMost) {
        List<SignupAttempt> attempts = new ArrayList<>();
        runs.forEach(run -> attempts.addAll(run.join(atMost)));
        return attempts;
    }
}
