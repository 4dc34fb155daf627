-- The inbox: one row per event this service has processed, written in the same transaction as the
-- event's effect. A second delivery of the same event finds its row and is skipped.
CREATE TABLE inbox (
    event_id     uuid        PRIMARY KEY,
    signup_id    uuid        NOT NULL,
    event_type   text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);
