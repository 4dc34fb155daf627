package io.signuppipeline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn to PNG files with XChart. */
final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 450;

    private Charts() {
    }

    /** Latency percentiles against the arrival rate. */
    static void latency(List<OpenLoad.Result> results, Path file) {
        XYChart chart = chart("API latency under a constant arrival rate", "signups per second", "latency (ms)");
        double[] rates = results.stream().mapToDouble(OpenLoad.Result::rate).toArray();
        for (double percentile : new double[] {50, 90, 99, 99.9}) {
            chart.addSeries("p" + format(percentile), rates,
                    results.stream().mapToDouble(result -> result.percentileMillis(percentile)).toArray());
        }
        save(chart, file);
    }

    /** One line per key of the samples' maps, over the burst's time. */
    static void overTime(String title, String yTitle, List<Burst.Sample> samples,
            Function<Burst.Sample, Map<String, ? extends Number>> values, Path file) {
        XYChart chart = chart(title, "seconds since the burst began", yTitle);
        if (samples.isEmpty()) {
            return;
        }
        double[] seconds = samples.stream().mapToDouble(Burst.Sample::seconds).toArray();
        for (String series : values.apply(samples.getFirst()).keySet()) {
            chart.addSeries(series, seconds, samples.stream()
                    .mapToDouble(sample -> values.apply(sample).get(series).doubleValue()).toArray())
                    .setMarker(SeriesMarkers.NONE);
        }
        save(chart, file);
    }

    /** One series over time, such as the email worker's messages per second; no chart when it is empty. */
    static void series(String title, String yTitle, String name, double[] seconds, double[] values, Path file) {
        if (values.length == 0) {
            return;
        }
        XYChart chart = chart(title, "seconds since the burst began", yTitle);
        chart.addSeries(name, seconds, values).setMarker(SeriesMarkers.NONE);
        save(chart, file);
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }

    private static void save(XYChart chart, Path file) {
        try {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    static String format(double percentile) {
        return percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
    }
}
