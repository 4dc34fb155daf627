package io.signuppipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessStatsTest {

    @Test
    void aGroupOfProcessesKeepsTheCpuOfTheChildrenItSawExit() throws Exception {
        // A parent whose child spends CPU and exits while the parent lives on, idle: as PostgreSQL's
        // postmaster after a backend whose connection was closed.
        Process parent = new ProcessBuilder("sh", "-c",
                "(i=0; while [ $i -lt 500000 ]; do i=$((i+1)); done); sleep 60").start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(
                    () -> ProcessStats.sum(List.of(parent.pid()), false).cpuSeconds() >= 0.2);

            assertThat(ProcessStats.of(parent.pid(), false).cpuSeconds()).isLessThan(0.2);
        } finally {
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly().waitFor();
        }
    }
}
