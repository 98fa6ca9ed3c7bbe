-- Notifications (WORK-RPT-01 and event rules). One row per organization: its rules as one JSON document, so a PUT
-- replaces the whole set in one statement; the webhook signing secret is kept to sign with and never read back out.
CREATE TABLE notification_settings (
    organization_id TEXT PRIMARY KEY,
    timezone TEXT NOT NULL,
    rules_json TEXT NOT NULL,
    signing_secret TEXT NULL,
    secret_created_at_ms BIGINT NULL,
    updated_at_ms BIGINT NOT NULL
);

-- The outbox: what is to be sent, to where. idempotency_key (source + rule) is unique, so every instance that observes
-- the same ledger entry may enqueue it and only the first insert counts. A claim is a lease, so two dispatchers never
-- send one row at the same time.
CREATE TABLE notification_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    event_id TEXT NOT NULL,
    event TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    target TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at_ms BIGINT NOT NULL,
    lease_owner TEXT NULL,
    lease_until_ms BIGINT NULL,
    created_at_ms BIGINT NOT NULL,
    delivered_at_ms BIGINT NULL
);
CREATE INDEX notification_outbox_due ON notification_outbox (status, next_attempt_at_ms);
CREATE INDEX notification_outbox_organization ON notification_outbox (organization_id, id);

-- The delivery log: one row per attempt, what came back and when the next one is due.
CREATE TABLE notification_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id BIGINT NOT NULL,
    attempt INTEGER NOT NULL,
    attempted_at_ms BIGINT NOT NULL,
    status_code INTEGER NULL,
    error TEXT NULL,
    duration_ms BIGINT NOT NULL,
    next_retry_at_ms BIGINT NULL
);
CREATE INDEX notification_attempts_outbox ON notification_attempts (outbox_id, attempt);

-- One report per organization and ISO week, whichever silo or restart builds it first.
CREATE TABLE weekly_reports (
    organization_id TEXT NOT NULL,
    week TEXT NOT NULL,
    report_json TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (organization_id, week)
);
