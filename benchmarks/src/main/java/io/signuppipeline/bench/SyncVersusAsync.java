package io.signuppipeline.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.DoubleStream;

/**
 * What a synchronous signup would make its user wait, against what this one does. Signups arrive at
 * a gentle rate with the mocks at the lesson's latencies; for each, the API's answer time is set
 * beside the sum of its four step durations as the workers measured them, which is what the request
 * would take if the API made the four calls itself, one after the other.
 */
final class SyncVersusAsync {

    private SyncVersusAsync() {
    }

    /**
     * @param apiMillis each signup's answer time, sorted
     * @param stepSumMillis each signup's four step durations added up, sorted
     * @param ratios each signup's step sum divided by its answer time, sorted
     */
    record Result(double[] apiMillis, double[] stepSumMillis, double[] ratios) {

        int signups() {
            return ratios.length;
        }

        static double percentile(double[] sorted, double percentile) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
            return sorted[Math.clamp(rank, 0, sorted.length - 1)];
        }
    }

    static Result run(BenchPipeline pipeline, String cohort, int signups, Duration drainLimit) {
        double[] answered = new double[signups];
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / Settings.SYNC_RATE;
        long start = System.nanoTime();
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < signups; i++) {
                LockSupport.parkNanos(start + i * periodNanos - System.nanoTime());
                int index = i;
                requests.execute(() -> {
                    long sent = System.nanoTime();
                    int status = pipeline.client().signUp(cohort, index);
                    answered[index] = status == 201 ? (System.nanoTime() - sent) / 1e6 : Double.NaN;
                });
            }
        }
        long created = DoubleStream.of(answered).filter(millis -> !Double.isNaN(millis)).count();
        PipelineWaits.cohortDone(pipeline.ledger(), cohort, (int) created, drainLimit);
        Map<Long, Long> stepSums = pipeline.ledger().stepDurationSums(cohort);
        List<double[]> pairs = new ArrayList<>();
        stepSums.forEach((index, sum) -> {
            double api = answered[index.intValue()];
            if (!Double.isNaN(api)) {
                pairs.add(new double[] {api, sum});
            }
        });
        return new Result(sorted(pairs, 0), sorted(pairs, 1),
                pairs.stream().mapToDouble(pair -> pair[1] / pair[0]).sorted().toArray());
    }

    private static double[] sorted(List<double[]> pairs, int column) {
        double[] values = pairs.stream().mapToDouble(pair -> pair[column]).toArray();
        Arrays.sort(values);
        return values;
    }
}
