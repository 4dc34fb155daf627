package io.signuppipeline.testing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationView;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every observation a Spring test context stops, with its parent. As a bean (a test class can
 * {@code @Import} it), Boot adds it to the context's observation registry next to the tracing and
 * metrics handlers, so a test can show that a downstream call is observed inside the observation
 * (the span) of the message that caused it.
 */
public final class RecordedObservations implements ObservationHandler<Observation.Context> {

    private final Queue<Observation.Context> stopped = new ConcurrentLinkedQueue<>();

    @Override
    public boolean supportsContext(Observation.Context context) {
        return true;
    }

    @Override
    public void onStop(Observation.Context context) {
        stopped.add(context);
    }

    /** For each stopped observation of this name, its parent's name, or {@code none} for a root. */
    public List<String> parentsOf(String name) {
        return stopped.stream().filter(context -> name.equals(context.getName())).map(context -> {
            ObservationView parent = context.getParentObservation();
            return parent == null ? "none" : parent.getContextView().getName();
        }).toList();
    }
}
