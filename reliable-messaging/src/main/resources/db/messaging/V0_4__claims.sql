-- Claims on events whose downstream call is under way. A worker claims its batch's events in a short
-- transaction of their own before it calls, and deletes the claims once the effects are recorded (or
-- the calls failed). A claim still there when its lease has run out belongs to an attempt that made
-- its call and never recorded it, or died trying: the next attempt takes the claim over, keeps the
-- earlier claim's time, and reports the step as ambiguous: its effect may have happened twice.
CREATE TABLE claims (
    event_id       uuid        PRIMARY KEY,
    claimed_at     timestamptz NOT NULL,
    lease_until    timestamptz NOT NULL,
    previous_claim timestamptz
);
