package io.signuppipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.IntSummaryStatistics;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

    private final WorkerSettings settings = new WorkerSettings(new IntSummaryStatistics(), new IntSummaryStatistics(),
            new IntSummaryStatistics(), new IntSummaryStatistics());

    @Test
    void describesWhatTheWorkersReported() {
        settings.add(info(4, 100, 50), 10);
        settings.add(info(4, 100, 50), 10);

        assertThat(settings.describe())
                .isEqualTo("per worker 4 consumers taking batches of up to 50 with a prefetch of 100, at nice 10");
    }

    @Test
    void workersThatDifferAreGivenAsARange() {
        settings.add(info(4, 100, 50), 10);
        settings.add(info(6, 60, 30), 19);

        assertThat(settings.describe()).isEqualTo(
                "per worker 4 to 6 consumers taking batches of up to 30 to 50 with a prefetch of 60 to 100, at nice 10 to 19");
    }

    @Test
    void aServiceThatReportsNoConsumersIsAnError() {
        assertThatThrownBy(() -> settings.add("{}", 10)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no consumers");
    }

    @Test
    void readsTheNiceValueFromProcStatEvenWithSpacesInTheCommand() {
        String stat = "4242 (java main) S 1 4242 4242 0 -1 4194560 51200 0 0 0 812 93 0 0 30 10 41 0 1234 "
                + "4000000000 90000 18446744073709551615 1 1 0 0 0 0 0 4096 17612 0 0 0 17 1 0 0 0 0 0";

        assertThat(ProcessStats.niceIn(stat)).isEqualTo(10);
    }

    private static String info(int concurrency, int prefetch, int batchSize) {
        return """
                {"consumers":{"concurrency":%d,"prefetch":%d,"batchSize":%d,"batchWaitMs":20}}"""
                .formatted(concurrency, prefetch, batchSize);
    }
}
