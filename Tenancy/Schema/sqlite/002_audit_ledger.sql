-- The audit ledger replaces the plain activity table: every entry is chained to the previous entry of its
-- organization by SHA-256, so an edited or deleted row breaks verification.
CREATE TABLE audit_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    actor TEXT NOT NULL,
    impersonator TEXT NULL,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    before_json TEXT NULL,
    after_json TEXT NULL,
    occurred_at_ms BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (organization_id, seq)
);
CREATE INDEX audit_ledger_time ON audit_ledger (organization_id, occurred_at_ms);

-- One row per organization: the chain's head, locked while appending so appends never fork the chain.
CREATE TABLE audit_heads (
    organization_id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);

DROP TABLE activity_events;
