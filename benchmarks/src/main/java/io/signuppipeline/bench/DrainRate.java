package io.signuppipeline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.DoubleStream;

/**
 * How steadily a worker drained its queue: its messages per second, second by second, over the
 * seconds in which it had a backlog (the first and last of them left out, being partial).
 *
 * @param perSecond the rate in each of those seconds
 */
record DrainRate(double[] perSecond) {

    static DrainRate of(List<Burst.Sample> samples, String worker, String step) {
        List<Double> rates = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            Burst.Sample before = samples.get(i - 1);
            Burst.Sample after = samples.get(i);
            if (before.ready().get(worker) > 0 && after.ready().get(worker) > 0) {
                rates.add((after.processed().get(step) - before.processed().get(step))
                        / (after.seconds() - before.seconds()));
            }
        }
        List<Double> whole = rates.size() > 2 ? rates.subList(1, rates.size() - 1) : rates;
        return new DrainRate(whole.stream().mapToDouble(Double::doubleValue).toArray());
    }

    int seconds() {
        return perSecond.length;
    }

    double mean() {
        return perSecond.length == 0 ? Double.NaN : DoubleStream.of(perSecond).average().orElseThrow();
    }

    double standardDeviation() {
        double mean = mean();
        return Math.sqrt(DoubleStream.of(perSecond).map(rate -> (rate - mean) * (rate - mean)).average()
                .orElse(Double.NaN));
    }

    /** Standard deviation over mean: 0 is perfectly steady. */
    double variation() {
        return standardDeviation() / mean();
    }

    double slowest() {
        return DoubleStream.of(perSecond).min().orElse(Double.NaN);
    }

    double fastest() {
        return DoubleStream.of(perSecond).max().orElse(Double.NaN);
    }
}
