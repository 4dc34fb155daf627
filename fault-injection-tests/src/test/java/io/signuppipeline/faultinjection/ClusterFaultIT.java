package io.signuppipeline.faultinjection;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The pipeline beyond one broker: two of every service on the three-node cluster of
 * {@code scripts/cluster.sh}, a node killed, then every node restarted in turn, under load. Its
 * summary table goes to {@code target/cluster-fault-summary.md}. The machine's own broker is not
 * touched; the cluster is stopped again if this run started it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultIT {

    private static final FaultSummary summary = new FaultSummary("Fault injection on a three-node cluster",
            Path.of("target", "cluster-fault-summary.md"));
    private static LocalCluster cluster;
    private static ClusterPipeline pipeline;

    @BeforeAll
    static void startTheClusterAndTwoOfEveryService() {
        cluster = LocalCluster.up();
        pipeline = ClusterPipeline.start(cluster);
        pipeline.warmUp();
    }

    @AfterAll
    static void stopEverythingAndPrintTheSummary() {
        try {
            if (pipeline != null) {
                pipeline.close();
            }
        } finally {
            try {
                if (cluster != null) {
                    cluster.close();
                }
            } finally {
                summary.publish();
            }
        }
    }

    @Test
    @Order(1)
    void aKilledNodeStopsNoStepForLongAndLosesNothing() {
        summary.run(ClusterNodeKilled.NAME, () -> ClusterNodeKilled.run(pipeline, cluster, summary));
    }

    @Test
    @Order(2)
    void aRollingRestartOfTheClusterLosesNothing() {
        summary.run(ClusterRollingRestart.NAME, () -> ClusterRollingRestart.run(pipeline, cluster, summary));
    }
}
