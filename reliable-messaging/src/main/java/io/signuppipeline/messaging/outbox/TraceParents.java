package io.signuppipeline.messaging.outbox;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Carries a trace across the outbox: the W3C {@code traceparent} of the span that appended an event
 * is stored with the row, and the relay, publishing it later on another thread, opens its publish
 * span as a child of it and sends the new span's {@code traceparent} with the message. So the
 * request that wrote the row, the publish and the consumers are one trace, even when the publish
 * happens minutes later or after a restart.
 *
 * <p>Without a tracer (a service without tracing) nothing is stored and nothing is sent.
 */
final class TraceParents {

    static final String HEADER = "traceparent";
    /** Where Micrometer Tracing puts the current span for the log lines' correlation field. */
    private static final String TRACE_ID = "traceId";
    private static final String SPAN_ID = "spanId";

    private final Tracer tracer;
    private final Propagator propagator;

    TraceParents(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    static TraceParents none() {
        return new TraceParents(null, null);
    }

    /** The current span's {@code traceparent}, or null outside a trace. */
    String current() {
        Span span = tracer == null ? null : tracer.currentSpan();
        return span == null ? null : header(span);
    }

    /**
     * Starts the publish span of a row, as a child of the trace it was appended in; null when the
     * row has no trace.
     */
    Span startPublish(PendingMessage message) {
        if (tracer == null || message.traceparent() == null) {
            return null;
        }
        return propagator.extract(Map.of(HEADER, message.traceparent()), Map::get)
                .name("outbox publish " + message.type())
                .kind(Span.Kind.PRODUCER)
                .tag("messaging.message.id", message.id().toString())
                .start();
    }

    /** The {@code traceparent} that makes the receiver's span a child of {@code span}. */
    String header(Span span) {
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(span.context(), carrier, Map::put);
        return carrier.get(HEADER);
    }

    /**
     * Writes log lines in the trace of a {@code traceparent}, as if its span were current: the relay
     * logs about a row on a thread of its own, long after the request that appended it, and a reader
     * following that request's trace id through the logs should find the row's publish too.
     */
    static void inLogs(String traceparent, Runnable logging) {
        String[] fields = traceparent == null ? new String[0] : traceparent.split("-");
        if (fields.length != 4) {
            logging.run();
            return;
        }
        try (var trace = MDC.putCloseable(TRACE_ID, fields[1]); var span = MDC.putCloseable(SPAN_ID, fields[2])) {
            logging.run();
        }
    }
}
