package io.signuppipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrainRateTest {

    @Test
    void countsOnlyTheWholeSecondsWithABacklog() {
        List<Burst.Sample> samples = List.of(
                sample(0, 900, 0), sample(1, 700, 200), sample(2, 400, 500), sample(3, 100, 800),
                sample(4, 50, 850), sample(5, 0, 900));

        DrainRate rate = DrainRate.of(samples, "email-worker", "email");

        // Four seconds with a backlog at both ends (200, 300, 300, 50); the first and last are partial.
        assertThat(rate.perSecond()).containsExactly(300.0, 300.0);
        assertThat(rate.mean()).isEqualTo(300.0);
        assertThat(rate.variation()).isZero();
        assertThat(rate.cpuPercent()).containsOnly(Map.entry("email-worker", 50.0));
    }

    @Test
    void aQueueThatNeverHeldABacklogForASecondHasNoRateAndNoChart(@TempDir Path output) {
        List<Burst.Sample> samples = List.of(sample(0, 400, 0), sample(1, 0, 400), sample(2, 0, 400));

        DrainRate rate = DrainRate.of(samples, "email-worker", "email");
        Path chart = output.resolve("rate.png");
        Charts.series("rate", "messages per second", "email-worker", new double[0], rate.perSecond(), chart);

        assertThat(rate.seconds()).isZero();
        assertThat(rate.mean()).isNaN();
        assertThat(chart).doesNotExist();
    }

    private static Burst.Sample sample(double seconds, long ready, long processed) {
        return new Burst.Sample(seconds, 0, Map.of("email-worker", ready), Map.of("email", processed),
                Map.of("email-worker", seconds * 20), Map.of());
    }
}
