-- Grain state and reminders. Times are Unix milliseconds so the SQLite and PostgreSQL stores share one code path.
CREATE TABLE grain_state (
    grain_type    text   NOT NULL,
    grain_key     text   NOT NULL,
    state_name    text   NOT NULL,
    version       bigint NOT NULL,
    payload       jsonb  NOT NULL, -- jsonb so operators can query state in place
    updated_at_ms bigint NOT NULL,
    PRIMARY KEY (grain_type, grain_key, state_name)
);

CREATE TABLE reminders (
    grain_type    text   NOT NULL,
    grain_key     text   NOT NULL,
    reminder_name text   NOT NULL,
    start_at_ms   bigint NOT NULL,
    period_ms     bigint NOT NULL,
    PRIMARY KEY (grain_type, grain_key, reminder_name)
);
