-- One row per signup announced in Slack.
CREATE TABLE slack_announcements (
    event_id  uuid        PRIMARY KEY,
    signup_id uuid        NOT NULL,
    posted_at timestamptz NOT NULL DEFAULT now()
);
