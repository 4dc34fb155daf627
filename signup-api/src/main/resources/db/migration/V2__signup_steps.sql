-- Each signup's progress through the workers, fed by their result events. A step with no row is
-- still PENDING. DONE is final: a late or replayed result never turns it back.
CREATE TABLE signup_steps (
    signup_id   uuid        NOT NULL,
    step        text        NOT NULL CHECK (step IN ('email', 'fraud', 'billing', 'notify')),
    state       text        NOT NULL CHECK (state IN ('DONE', 'FAILED')),
    at          timestamptz NOT NULL,
    duration_ms bigint,
    detail      text,
    PRIMARY KEY (signup_id, step)
);
