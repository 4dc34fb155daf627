package io.signuppipeline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Locale;

/** The report's text as it is written, and how its figures are printed. */
final class Markdown {

    private final StringBuilder text = new StringBuilder();

    void line(String format, Object... arguments) {
        text.append(arguments.length == 0 ? format : String.format(Locale.ROOT, format, arguments)).append('\n');
    }

    void table(List<String> header, List<String[]> rows) {
        line("| %s |", String.join(" | ", header));
        line("|%s", " --- |".repeat(header.size()));
        rows.forEach(row -> line("| %s |", String.join(" | ", row)));
        line("");
    }

    void image(String file, String alt) {
        line("![%s](%s)", alt, file);
        line("");
    }

    void write(Path file) {
        try {
            Files.writeString(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String decimal(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** "4", or "4 to 5" when the values differ. */
    static String range(IntSummaryStatistics values) {
        return values.getMin() == values.getMax() ? Integer.toString(values.getMax())
                : values.getMin() + " to " + values.getMax();
    }

    static String ratio(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
    }

    static double pct(double[] sorted, double percentile) {
        return SyncVersusAsync.Result.percentile(sorted, percentile);
    }
}
