package io.signuppipeline.api.status;

import io.signuppipeline.events.SignupStepAnnounced;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /**
     * Records what the workers announced, in the caller's transaction: a new step is known from the
     * moment its announcement was made, an announcement from an instance started after a retirement
     * brings the step back, and the latest announcement's address and queue win.
     *
     * @param announcements each with the instant it was made, in the order they arrived
     * @return what changed, for the log: steps new, back from retirement, or at a new address
     */
    List<Change> announced(List<Announcement> announcements) {
        Map<String, Announcement> latest = new LinkedHashMap<>();
        announcements.forEach(announcement -> latest.put(announcement.data().step(), announcement));
        Map<String, Step> before = new LinkedHashMap<>();
        jdbc.sql("SELECT step, service, queue, url, known_since, retired_at FROM steps WHERE step = ANY(?) FOR UPDATE")
                .params((Object) latest.keySet().toArray(String[]::new))
                .query((rs, row) -> step(rs)).list()
                .forEach(step -> before.put(step.name(), step));
        List<Change> changes = new ArrayList<>();
        for (Announcement announcement : latest.values()) {
            SignupStepAnnounced data = announcement.data();
            Step was = before.get(data.step());
            jdbc.sql("""
                    INSERT INTO steps (step, service, queue, url, known_since, last_announced, latest_start)
                    VALUES (:step, :service, :queue, :url, :at, :at, :started)
                    ON CONFLICT (step) DO UPDATE
                        SET service = EXCLUDED.service, queue = EXCLUDED.queue, url = EXCLUDED.url,
                            last_announced = greatest(steps.last_announced, EXCLUDED.last_announced),
                            latest_start = greatest(steps.latest_start, EXCLUDED.latest_start),
                            retired_at = CASE WHEN steps.retired_at < EXCLUDED.latest_start THEN NULL
                                              ELSE steps.retired_at END
                    """)
                    .param("step", data.step()).param("service", data.service()).param("queue", data.queue())
                    .param("url", data.url()).param("at", Timestamp.from(announcement.at()))
                    .param("started", Timestamp.from(data.startedAt()))
                    .update();
            if (was == null) {
                changes.add(new Change(announcement, "new"));
            } else if (was.retiredAt() != null && was.retiredAt().isBefore(data.startedAt())) {
                changes.add(new Change(announcement, "back from retirement"));
            } else if (!Objects.equals(was.url(), data.url()) || !was.queue().equals(data.queue())
                    || !was.service().equals(data.service())) {
                changes.add(new Change(announcement, "changed"));
            }
        }
        if (!changes.isEmpty()) {
            events.publishEvent(new Recorded());
        }
        return changes;
    }

    /** Once the announcements that changed something have committed, this instance knows at once. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(Recorded recorded) {
        refresh();
    }

    private static Step step(ResultSet rs) throws SQLException {
        Timestamp retired = rs.getTimestamp("retired_at");
        return new Step(rs.getString("step"), rs.getString("service"), rs.getString("queue"), rs.getString("url"),
                rs.getTimestamp("known_since").toInstant(), retired == null ? null : retired.toInstant());
    }

    /**
     * One announcement as it arrived.
     *
     * @param data what the worker announced
     * @param at when it was made
     */
    record Announcement(SignupStepAnnounced data, Instant at) {
    }

    /**
     * What an announcement changed.
     *
     * @param announcement the announcement
     * @param what "new", "back from retirement" or "changed"
     */
    record Change(Announcement announcement, String what) {
    }

    /** Announcements changed the table, in the transaction under way. */
    record Recorded() {
    }

    /** This instance has read steps different from those it knew: new, retired, back or moved. */
    public record StepsChanged() {
    }

    private record Read(List<Step> steps) {
    }
}
