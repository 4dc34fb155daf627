package io.signuppipeline.faultinjection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects one row per scenario and, after the last, prints them as one Markdown table on stdout,
 * which Failsafe copies into the build output, and writes it to
 * {@code target/fault-injection-summary.md} for CI to keep.
 */
final class FaultSummary {

    static final Path FILE = Path.of("target", "fault-injection-summary.md");

    private final List<ScenarioFigures> rows = new ArrayList<>();
    private final String title;
    private final Path file;

    FaultSummary() {
        this("Fault injection summary", FILE);
    }

    FaultSummary(String title, Path file) {
        this.title = title;
        this.file = file;
    }

    synchronized void record(ScenarioFigures figures) {
        rows.add(figures);
        Narrator.say("FIGURES %s", figures);
    }

    /** Runs a scenario; one that fails before recording its figures still gets a row, saying why. */
    void run(FaultScenario scenario, PipelineUnderTest pipeline) {
        run(scenario.name(), () -> scenario.run(pipeline, this));
    }

    /** Runs the scenario called {@code name}; one that fails before recording its figures still gets a row. */
    void run(String name, Runnable scenario) {
        Narrator.say("=== Scenario: %s", name);
        try {
            scenario.run();
        } catch (RuntimeException | Error e) {
            if (!recorded(name)) {
                record(ScenarioFigures.unfinished(name, e));
            }
            throw e;
        }
    }

    synchronized String markdown() {
        StringBuilder table = new StringBuilder("## " + title + "\n\n")
                .append(ScenarioFigures.markdownHeader()).append('\n');
        rows.forEach(row -> table.append(row.markdownRow()).append('\n'));
        if (rows.isEmpty()) {
            table.append("| no scenario ran: the pipeline did not start, see the error above | | | | | | | |\n");
        }
        return table.toString();
    }

    /** Prints the table and writes it to its file. */
    void publish() {
        String table = markdown();
        System.out.println();
        System.out.println(table);
        System.out.flush();
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, table);
            Narrator.say("Summary written to %s", file.toAbsolutePath());
        } catch (IOException e) {
            System.err.println("Could not write " + file.toAbsolutePath() + ": " + e);
        }
    }

    private synchronized boolean recorded(String scenario) {
        return rows.stream().anyMatch(row -> row.scenario().equals(scenario));
    }
}
