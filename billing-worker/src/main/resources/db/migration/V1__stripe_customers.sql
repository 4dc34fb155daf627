-- One row per Stripe customer created for a signup.
CREATE TABLE stripe_customers (
    event_id    uuid        PRIMARY KEY,
    signup_id   uuid        NOT NULL UNIQUE,
    customer_id text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
