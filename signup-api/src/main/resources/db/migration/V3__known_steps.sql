-- The steps the API has learnt from the workers' announcements (signup.step_announced): the API names
-- none of them itself. A signup expects the steps known when it was created and not retired by then.
CREATE TABLE steps (
    step           text        PRIMARY KEY,
    service        text        NOT NULL,
    queue          text        NOT NULL,
    url            text,
    known_since    timestamptz NOT NULL,
    last_announced timestamptz NOT NULL,
    -- The start of the latest instance that announced it.
    latest_start   timestamptz NOT NULL,
    -- Set by hand (scripts/steps.sh retire): new signups stop expecting the step. A worker instance
    -- started after the retirement brings it back when it announces itself.
    retired_at     timestamptz
);

-- Any step may report a result, announced or not: the status shows it anyway.
ALTER TABLE signup_steps DROP CONSTRAINT signup_steps_step_check;
