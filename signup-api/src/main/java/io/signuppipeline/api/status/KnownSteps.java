package io.signuppipeline.api.status;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The steps of a signup, as the workers have announced them: the API knows no step by name. Read
 * often (every POST answers with its signup's steps), so they are kept in memory and a POST never
 * waits for this table: read again at once after an announcement changed them here, and otherwise
 * every moment, which picks up what another instance of the API recorded and a retirement made by hand.
 */
@Repository
public class KnownSteps implements SmartLifecycle {

    private static final Duration REFRESH_EVERY = Duration.ofSeconds(2);

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private volatile Read read;
    private volatile ScheduledExecutorService schedule;

    KnownSteps(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** Every step ever announced, retired or not, in the order they became known; from memory but the first time. */
    public List<Step> all() {
        Read current = read;
        return current == null ? reload() : current.steps();
    }

    /** Reads the table; when it says something new, tells the listeners of {@link StepsChanged}. */
    private synchronized List<Step> reload() {
        List<Step> steps = jdbc.sql("""
                SELECT step, service, queue, url, known_since, retired_at FROM steps ORDER BY known_since, step
                """).query((rs, row) -> step(rs)).list();
        Read before = read;
        read = new Read(steps);
        if (before != null && !before.steps().equals(steps)) {
            events.publishEvent(new StepsChanged());
        }
        return steps;
    }

    private void refresh() {
        try {
            reload();
        } catch (RuntimeException unavailable) {
            // The database is away: what was known a moment ago still holds; the next refresh tries again.
        }
    }

    /** Reads again every moment: another instance of the API may have recorded an announcement, or someone retired a step. */
    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("known-steps").daemon().factory());
        schedule = started;
        started.scheduleWithFixedDelay(this::refresh, 0, REFRESH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = schedule;
        if (current != null) {
            current.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        ScheduledExecutorService current = schedule;
        return current != null && !current.isShutdown();
    }

    /** The steps new signups wait for. */
    public List<Step> active() {
        return all().stream().filter(Step::active).toList();
    }

    /** The step a worker announced, by the worker's application name. */
    public Optional<Step> byService(String service) {
        return all().stream().filter(step -> step.service().equals(service)).findFirst();
    }

    /** The steps of a signup created then, every one PENDING. */
    public Map<String, StepStatus> pendingAt(Instant createdAt) {
        Map<String, StepStatus> steps = new LinkedHashMap<>();
        all().stream().filter(step -> step.expectedAt(createdAt))
                .forEach(step -> steps.put(step.name(), StepStatus.PENDING));
        return steps;
    }

    /** Once the announcements that changed something have committed, this instance knows at once. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(StepAnnouncements.Recorded recorded) {
        refresh();
    }

    /** A row of the table {@code steps}. */
    static Step step(ResultSet rs) throws SQLException {
        Timestamp retired = rs.getTimestamp("retired_at");
        return new Step(rs.getString("step"), rs.getString("service"), rs.getString("queue"), rs.getString("url"),
                rs.getTimestamp("known_since").toInstant(), retired == null ? null : retired.toInstant());
    }

    /** This instance has read steps different from those it knew: new, retired, back or moved. */
    public record StepsChanged() {
    }

    private record Read(List<Step> steps) {
    }
}
