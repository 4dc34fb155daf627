package io.signuppipeline.api.dashboard;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboard pages with a stream open: those that just connected and wait for their snapshot, and
 * those that have it and take every event since. A page that has gone is dropped at the first event it
 * cannot take. {@link DashboardStream}'s sender thread is the only one that writes to them.
 */
final class DashboardViewers {

    private final Duration streamTimeout;
    private final Queue<SseEmitter> arriving = new ConcurrentLinkedQueue<>();
    private final List<SseEmitter> watching = new CopyOnWriteArrayList<>();

    DashboardViewers(Duration streamTimeout) {
        this.streamTimeout = streamTimeout;
    }

    /** A new stream, waiting for its snapshot. */
    SseEmitter open() {
        SseEmitter emitter = new SseEmitter(streamTimeout.toMillis());
        emitter.onCompletion(() -> watching.remove(emitter));
        emitter.onTimeout(emitter::complete);
        emitter.onError(error -> watching.remove(emitter));
        arriving.add(emitter);
        return emitter;
    }

    boolean none() {
        return watching.isEmpty() && arriving.isEmpty();
    }

    boolean anyArriving() {
        return !arriving.isEmpty();
    }

    boolean anyWatching() {
        return !watching.isEmpty();
    }

    /** Sends one event to every page that has its snapshot. */
    void sendToAll(String name, Object data) {
        watching.forEach(viewer -> send(viewer, name, data));
    }

    /** Sends each arriving page its snapshot; from then on it takes every event. */
    void welcome(Object snapshot) {
        for (SseEmitter viewer = arriving.poll(); viewer != null; viewer = arriving.poll()) {
            if (send(viewer, "snapshot", snapshot)) {
                watching.add(viewer);
            }
        }
    }

    /** Ends every stream, so that the web server's graceful shutdown does not wait for open pages. */
    void closeAll() {
        watching.forEach(SseEmitter::complete);
        arriving.forEach(SseEmitter::complete);
        watching.clear();
        arriving.clear();
    }

    private boolean send(SseEmitter viewer, String name, Object data) {
        try {
            viewer.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
            return true;
        } catch (IOException | IllegalStateException gone) {
            watching.remove(viewer);
            return false;
        }
    }
}
