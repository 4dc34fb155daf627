-- The W3C traceparent of the span that appended the event, so that its publish, however much later,
-- continues the same trace. Null when the service does not trace.
ALTER TABLE outbox ADD COLUMN traceparent text;
