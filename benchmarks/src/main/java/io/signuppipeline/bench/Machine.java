package io.signuppipeline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** One paragraph on where and on what a run measured, for the top of its report. */
final class Machine {

    private Machine() {
    }

    static String describe(BenchPipeline pipeline) {
        return String.format(Locale.ROOT, "Run %s on commit %s. Machine: %d cores, %s GiB of memory, %s; Java %s; "
                        + "PostgreSQL %s (autovacuum %s) and RabbitMQ %s on the same machine, with the API, the four workers, the "
                        + "mocks and the load generator. Services with their default settings (per worker 4 "
                        + "consumers taking batches of up to 50 with a prefetch of 100, at nice 10; at most 8 "
                        + "database connections for the API and 5 per worker), mocks without latency unless a section says otherwise.",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), commit(),
                Runtime.getRuntime().availableProcessors(), memoryGib(), cpuModel(), Runtime.version(),
                pipeline.ledger().databaseVersion(), pipeline.ledger().autovacuum(), pipeline.queues().brokerVersion());
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

    private static String commit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 ? output : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
