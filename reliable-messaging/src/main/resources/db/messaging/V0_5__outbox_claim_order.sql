-- The relay's scan claims the oldest unpublished rows first. Walking an index in that order, it stops
-- after one batch, and marks the entries of rows deleted since the last vacuum dead as it passes
-- them, so the next scan skips them; through outbox_due it read every such entry on every scan, tens
-- of thousands during a burst (and forever, on a server without autovacuum).
CREATE INDEX outbox_unpublished ON outbox (created_at, id) WHERE published_at IS NULL;
DROP INDEX outbox_due;
