package io.signuppipeline.api.status;

import io.signuppipeline.events.SignupStepAnnounced;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Writes the workers' announcements of their steps to the table {@link KnownSteps} reads; an
 * announcement that changed something is followed, once committed, by {@link KnownSteps} reading the
 * table again.
 */
@Repository
class StepAnnouncements {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    StepAnnouncements(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /**
     * Records what the workers announced, in the caller's transaction: a new step is known from the
     * moment its announcement was made, an announcement from an instance started after a retirement
     * brings the step back, and the latest announcement's address and queue win.
     *
     * @param announcements each with the instant it was made, in the order they arrived
     * @return what changed, for the log: steps new, back from retirement, or at a new address
     */
    List<Change> record(List<Announcement> announcements) {
        Map<String, Announcement> latest = new LinkedHashMap<>();
        announcements.forEach(announcement -> latest.put(announcement.data().step(), announcement));
        Map<String, Step> before = new LinkedHashMap<>();
        jdbc.sql("SELECT step, service, queue, url, known_since, retired_at FROM steps WHERE step = ANY(?) FOR UPDATE")
                .params((Object) latest.keySet().toArray(String[]::new))
                .query((rs, row) -> KnownSteps.step(rs)).list()
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
}
