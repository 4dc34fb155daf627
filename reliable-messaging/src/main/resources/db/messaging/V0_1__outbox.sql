-- The transactional outbox: an event is written here in the same transaction as the change it
-- describes, and the relay publishes it afterwards. Versions 0.x belong to reliable-messaging, so
-- they never collide with a service's own V1, V2, ...
CREATE TABLE outbox (
    id              uuid        PRIMARY KEY,          -- the event id, also the AMQP message_id
    signup_id       uuid        NOT NULL,
    event_type      text        NOT NULL,
    routing_key     text        NOT NULL,
    payload         text        NOT NULL,             -- the envelope exactly as sent; query it as payload::jsonb
    occurred_at     timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    published_at    timestamptz
);

-- What the relay claims: unpublished rows that are due.
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE published_at IS NULL;

-- What retention deletes.
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;
