package io.signuppipeline.faultinjection;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;

/**
 * kill -9 of the node that leads most of the work queues, under the suite's steady load
 * ({@link ClusterPipeline#SIGNUPS_PER_SECOND}) shared by two APIs, then the node started again.
 * The quorum queues elect new leaders on the two nodes left, the services connected to the dead
 * node reconnect to the others, and nobody restarts anything: every signup accepted ends fully
 * processed, and no step stands still for long.
 */
final class ClusterNodeKilled {

    static final String NAME = "cluster: kill -9 of the node leading the work queues, %d signups/s"
            .formatted(ClusterPipeline.SIGNUPS_PER_SECOND);
    private static final Cohort COHORT = new Cohort("cluster-node-killed");
    private static final int SIGNUPS_BEFORE = 500;
    private static final int SIGNUPS_AFTER = 500;
    private static final int SIGNUPS_AT_MOST = 10_000;
    /** How long the consumers may take to come back after the kill. */
    static final Duration CONSUMERS_BACK_WITHIN = Duration.ofSeconds(60);

    private ClusterNodeKilled() {
    }

    static void run(ClusterPipeline pipeline, LocalCluster cluster, FaultSummary summary) {
        long parkedBefore = pipeline.queues().parked();
        List<String> workQueues = BrokerQueues.workQueues();
        String vhost = pipeline.vhost().virtualHost();
        ClusterLoad load = ClusterLoad.steady(pipeline, COHORT, SIGNUPS_AT_MOST,
                ClusterPipeline.SIGNUPS_PER_SECOND);
        load.awaitMore(SIGNUPS_BEFORE);
        int victim = cluster.leaderOfMost(vhost, workQueues);
        Map<String, String> leadersBefore = cluster.leaders(vhost, workQueues);
        int sentAtKill = load.sent();
        String consumersBack = pipeline.consumersBackAfter(() -> cluster.kill(victim), CONSUMERS_BACK_WITHIN);
        Narrator.say("Every consumer back: %s; leaders now %s", consumersBack, cluster.leaders(vhost, workQueues));
        load.awaitMore(SIGNUPS_AFTER);
        load.finish();
        List<SignupAttempt> attempts = load.join(Duration.ofMinutes(1));
        // The node comes back while the workers drain: the next scenario needs all three.
        cluster.start(victim);
        ClusterOutcome outcome = ClusterOutcome.of(pipeline, COHORT, attempts, parkedBefore);
        summary.record(outcome.figures(NAME, ("killed %s at signup %,d, leading %d of %d work queues; every "
                + "consumer back: %s").formatted(LocalCluster.node(victim), sentAtKill,
                        leadersBefore.values().stream().filter(LocalCluster.node(victim)::equals).count(),
                        workQueues.size(), consumersBack)));

        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(cameBack(consumersBack)).as("every consumer back within %s of the kill: %s",
                    CONSUMERS_BACK_WITHIN, consumersBack).isTrue();
            outcome.assertNothingLost(soft);
        });
    }

    /** Whether {@link ClusterPipeline#consumersBackAfter} saw every consumer back in time. */
    static boolean cameBack(String consumersBack) {
        return !consumersBack.startsWith("not within");
    }
}
