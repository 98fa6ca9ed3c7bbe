-- Reminders of the embedded default (Orleans ships no SQLite reminder script; SqliteReminderTable reads and writes this).
-- grain_hash is the grain id's uniform hash, so a silo reads the reminders of its ring range with an index scan.
CREATE TABLE orleans_reminders (
    service_id    TEXT    NOT NULL,
    grain_id      TEXT    NOT NULL,
    reminder_name TEXT    NOT NULL,
    grain_hash    INTEGER NOT NULL,
    start_at_ms   INTEGER NOT NULL,
    period_ms     INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX ix_orleans_reminders_hash ON orleans_reminders (service_id, grain_hash);
