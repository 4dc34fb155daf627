-- Users of the signup API. One row per signup; its id is also the signup id.
CREATE TABLE users (
    id         uuid        PRIMARY KEY,
    email      text        NOT NULL,
    name       text        NOT NULL,
    status     text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'FLAGGED')),
    created_at timestamptz NOT NULL
);

-- One account per address, whatever its case: Ada@Example.com and ada@example.com are the same.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
