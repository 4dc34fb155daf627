package io.signuppipeline.faultinjection;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault-injection suite: breaks the running pipeline, under load, in the ways production will,
 * and checks that nothing is lost and nothing that must happen once happens twice.
 *
 * <p>The scenarios share one pipeline (five JVMs take most of a minute to start on two cores) and
 * run one after the other, each on its own cohort of signups. Each prints its figures as it ends; the summary table of all of them is printed after the last, and written to
 * {@code target/fault-injection-summary.md}. Whatever happens, RabbitMQ and PostgreSQL are running
 * again when the suite ends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

    private static final FaultSummary summary = new FaultSummary();
    private static PipelineUnderTest pipeline;

    @BeforeAll
    static void startThePipeline() {
        pipeline = PipelineUnderTest.start();
    }

    @AfterAll
    static void stopThePipelineAndPrintTheSummary() {
        try {
            if (pipeline != null) {
                pipeline.close();
            }
        } finally {
            LocalBroker.start();
            LocalDatabase.start();
            summary.publish();
        }
    }

    @Test
    @Order(1)
    void workersKilledMidBurstLoseNothingAndCreateNoSecondCustomer() {
        summary.run(new WorkersKilledMidBurst(), pipeline);
    }

    @Test
    @Order(2)
    void brokerRestartUnderLoadFailsNoRequestAndLosesNothing() {
        summary.run(new BrokerRestartedUnderLoad(), pipeline);
    }

    @Test
    @Order(3)
    void databaseRestartUnderLoadAnswers503FastAndKeepsUsersAndEventsTogether() {
        summary.run(new DatabaseRestartedUnderLoad(), pipeline);
    }

    @Test
    @Order(4)
    void aDownstreamOutagePausesTheWorkersParksNothingAndEverythingFinishesAfterwards() {
        summary.run(new DownstreamOutage(), pipeline);
    }

    @Test
    @Order(5)
    void poisonMessagesAreParkedByEveryWorkerAndTheQueuesKeepFlowing() {
        summary.run(new PoisonMessages(), pipeline);
    }

    @Test
    @Order(6)
    void parkedMessagesReplayedAfterTheFixEndDoneWithoutDuplicateEffects() {
        summary.run(new ReplayAfterFix(), pipeline);
    }

    @Test
    @Order(7)
    void aWorkerStoppedWithSigtermFinishesItsWorkAndLosesNothing() {
        summary.run(new WorkerStoppedGracefully(), pipeline);
    }

    @Test
    @Order(8)
    void anApiKilledMidBurstPublishesAgainWhatItHadNotRecordedAndTheWorkersSkipIt() {
        summary.run(new ApiKilledMidBurst(), pipeline);
    }
}
