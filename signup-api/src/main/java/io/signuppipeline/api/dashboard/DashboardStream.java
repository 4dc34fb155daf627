package io.signuppipeline.api.dashboard;

import io.signuppipeline.api.signup.SignupAccepted;
import io.signuppipeline.api.status.StepChanged;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboard's server-sent events, to every open page: {@code snapshot} once on connecting (the
 * latest signups and the last worker figures), {@code signup} whenever one of the latest signups
 * changes (a new signup, a step DONE, FAILED or PENDING again), {@code figures} every few seconds.
 *
 * <p>The database is the source: a signup or step change committed by this instance nudges a read at
 * once, and a read every second anyway catches what other instances of the API recorded, since each
 * result event reaches only one of them. A read is compared with what was sent, and only changed rows
 * go out, so a burst of thousands of signups costs a few reads a second, not one per change. One
 * thread sends everything, so an emitter is never written from two threads at once.
 */
@Component
class DashboardStream implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DashboardStream.class);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration REREAD = Duration.ofSeconds(1);

    private final LatestSignups latest;
    private final PipelineFigures figures;
    private final DashboardProperties properties;
    private final DashboardViewers viewers;
    private final AtomicBoolean changed = new AtomicBoolean();
    private volatile ScheduledExecutorService sender;
    private volatile ScheduledExecutorService reader;
    private volatile FiguresPanel lastFigures;
    /** Touched by the sender thread only. */
    private Map<UUID, SignupRow> sent = Map.of();
    private long readAt;

    DashboardStream(LatestSignups latest, PipelineFigures figures, DashboardProperties properties) {
        this.latest = latest;
        this.figures = figures;
        this.properties = properties;
        this.viewers = new DashboardViewers(properties.streamTimeout());
    }

    /** A new stream; its snapshot follows within a tick. */
    SseEmitter open() {
        return viewers.open();
    }

    @TransactionalEventListener
    void on(SignupAccepted accepted) {
        changed.set(true);
    }

    @TransactionalEventListener
    void on(StepChanged step) {
        changed.set(true);
    }

    private void tick() {
        if (viewers.none()) {
            sent = Map.of();
            return;
        }
        boolean due = changed.getAndSet(false) || System.nanoTime() - readAt > REREAD.toNanos();
        if (!due && !viewers.anyArriving()) {
            return;
        }
        try {
            readAt = System.nanoTime();
            List<SignupRow> rows = latest.now();
            Map<UUID, SignupRow> read = new LinkedHashMap<>();
            rows.forEach(row -> read.put(row.id(), row));
            // Oldest first, so that a page inserting each row at its place ends in the same order.
            rows.reversed().stream().filter(row -> !row.equals(sent.get(row.id())))
                    .forEach(row -> viewers.sendToAll("signup", row));
            sent = read;
            viewers.welcome(new Snapshot(rows, lastFigures));
        } catch (RuntimeException e) {
            log.warn("Dashboard could not read the latest signups: {}", e.toString());
        }
    }

    private void readFigures() {
        if (!viewers.anyWatching()) {
            return;
        }
        try {
            FiguresPanel panel = figures.now();
            lastFigures = panel;
            sender.execute(() -> viewers.sendToAll("figures", panel));
        } catch (RuntimeException e) {
            log.warn("Dashboard could not read the pipeline figures: {}", e.toString());
        }
    }

    @Override
    public void start() {
        sender = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("dashboard-sender").daemon().factory());
        reader = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("dashboard-figures").daemon().factory());
        sender.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        reader.scheduleWithFixedDelay(this::readFigures, 0, properties.figuresInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ends every stream first, so that the web server's graceful shutdown does not wait for open pages. */
    @Override
    public void stop() {
        reader.shutdownNow();
        sender.shutdownNow();
        viewers.closeAll();
    }

    @Override
    public boolean isRunning() {
        return sender != null && !sender.isShutdown();
    }

    /**
     * The first event of a stream.
     *
     * @param signups the latest signups, newest first
     * @param figures the last worker figures, or null before the first reading
     */
    record Snapshot(List<SignupRow> signups, FiguresPanel figures) {
    }
}
