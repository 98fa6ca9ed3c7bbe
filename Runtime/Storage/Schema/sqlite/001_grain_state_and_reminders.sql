-- Grain state and reminders. Times are Unix milliseconds so the SQLite and PostgreSQL stores share one code path.
CREATE TABLE grain_state (
    grain_type    TEXT    NOT NULL,
    grain_key     TEXT    NOT NULL,
    state_name    TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    payload       TEXT    NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (grain_type, grain_key, state_name)
) WITHOUT ROWID; -- rows are only ever found by their key, so the key is the table

CREATE TABLE reminders (
    grain_type    TEXT    NOT NULL,
    grain_key     TEXT    NOT NULL,
    reminder_name TEXT    NOT NULL,
    start_at_ms   INTEGER NOT NULL,
    period_ms     INTEGER NOT NULL,
    PRIMARY KEY (grain_type, grain_key, reminder_name)
) WITHOUT ROWID;
