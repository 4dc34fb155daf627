-- One row per signup scored by the fraud API.
CREATE TABLE risk_assessments (
    event_id    uuid        PRIMARY KEY,
    signup_id   uuid        NOT NULL,
    score       integer     NOT NULL CHECK (score BETWEEN 0 AND 100),
    decision    text        NOT NULL CHECK (decision IN ('APPROVE', 'REVIEW', 'REJECT')),
    assessed_at timestamptz NOT NULL DEFAULT now()
);
