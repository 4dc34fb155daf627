-- One row per welcome email handed to the SMTP server.
CREATE TABLE welcome_emails (
    event_id   uuid        PRIMARY KEY,
    signup_id  uuid        NOT NULL,
    message_id text        NOT NULL,
    sent_at    timestamptz NOT NULL DEFAULT now()
);
