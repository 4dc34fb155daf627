package io.signuppipeline.faultinjection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;

/**
 * A rolling restart, as an upgrade would do it: each of the three nodes stopped and started again in
 * turn, the next once the one before is back, under the suite's steady load
 * ({@link ClusterPipeline#SIGNUPS_PER_SECOND}) shared by two APIs. The cluster keeps a majority
 * throughout, so no queue is ever unavailable for long.
 */
final class ClusterRollingRestart {

    static final String NAME = "cluster: the three nodes restarted one by one, %d signups/s"
            .formatted(ClusterPipeline.SIGNUPS_PER_SECOND);
    private static final Cohort COHORT = new Cohort("cluster-rolling-restart");
    private static final int SIGNUPS_BEFORE = 300;
    private static final int SIGNUPS_AT_MOST = 20_000;

    private ClusterRollingRestart() {
    }

    static void run(ClusterPipeline pipeline, LocalCluster cluster, FaultSummary summary) {
        long parkedBefore = pipeline.queues().parked();
        ClusterLoad load = ClusterLoad.steady(pipeline, COHORT, SIGNUPS_AT_MOST,
                ClusterPipeline.SIGNUPS_PER_SECOND);
        load.awaitMore(SIGNUPS_BEFORE);
        List<String> back = new ArrayList<>();
        boolean allBack = true;
        long started = System.nanoTime();
        for (int node : LocalCluster.NODES) {
            String consumers = pipeline.consumersBackAfter(() -> cluster.stop(node),
                    ClusterNodeKilled.CONSUMERS_BACK_WITHIN);
            cluster.start(node);
            back.add("%s: consumers back %s".formatted(LocalCluster.node(node), consumers));
            allBack &= ClusterNodeKilled.cameBack(consumers);
        }
        Duration restart = Duration.ofNanos(System.nanoTime() - started);
        load.finish();
        List<SignupAttempt> attempts = load.join(Duration.ofMinutes(1));
        ClusterOutcome outcome = ClusterOutcome.of(pipeline, COHORT, attempts, parkedBefore);
        summary.record(outcome.figures(NAME, "restart of all three took %s; %s".formatted(Narrator.human(restart),
                String.join(", ", back))));

        boolean everyConsumerCameBack = allBack;
        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(everyConsumerCameBack).as("every consumer back within %s after each node stopped: %s",
                    ClusterNodeKilled.CONSUMERS_BACK_WITHIN, back).isTrue();
            outcome.assertNothingLost(soft);
        });
    }
}
