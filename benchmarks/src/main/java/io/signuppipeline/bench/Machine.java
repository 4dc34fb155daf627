package io.signuppipeline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One paragraph on where and on what a run measured, for the top of its report. */
final class Machine {

    private Machine() {
    }

    static String describe(BenchPipeline pipeline, ConnectionPools pools) {
        WorkerSettings workers = WorkerSettings.of(pipeline.services());
        return String.format(Locale.ROOT, "Run %s on commit %s. Machine: %d cores, %s GiB of memory, %s; Java %s; "
                        + "PostgreSQL %s (autovacuum %s) and RabbitMQ %s on the same machine, with the API, the four workers, the "
                        + "mocks and the load generator. Services with their default settings, as they reported them (%s in a "
                        + "session of its own; at most %d database connections for the API and %s per worker), mocks without "
                        + "latency unless a section says otherwise.",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), commit(),
                Runtime.getRuntime().availableProcessors(), memoryGib(), cpuModel(), Runtime.version(),
                pipeline.ledger().databaseVersion(), pipeline.ledger().autovacuum(), pipeline.queues().brokerVersion(),
                workers.describe(), pools.api(), pools.perWorker());
    }

    private static String memoryGib() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return String.format(Locale.ROOT, "%.0f", os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return "?";
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    /**
     * The commit the services were built from, and whether the working tree differs from it (the
     * benchmark's own results aside): a run of changes not yet committed says so.
     */
    private static String commit() {
        String head = git("rev-parse", "--short", "HEAD");
        if (head == null) {
            return "unknown";
        }
        String changed = git("status", "--porcelain", "--untracked-files=no", "--", ":(top)",
                ":(top,exclude)bench-results");
        return changed == null || changed.isEmpty() ? head : head + " with uncommitted changes";
    }

    /** What git printed, or null when it failed. */
    private static String git(String... arguments) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        try {
            Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 ? output : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
