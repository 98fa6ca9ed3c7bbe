-- Completed cloud actions by idempotency key: the executor looks here before acting, so a retried or restarted
-- job never repeats a step that already happened. Written in the same transaction as the action's ledger entry.
CREATE TABLE cloud_actions (
    idempotency_key TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    resource TEXT NOT NULL,
    action TEXT NOT NULL,
    dry_run SMALLINT NOT NULL,
    result_json TEXT NOT NULL,
    completed_at_ms BIGINT NOT NULL
);
CREATE INDEX cloud_actions_time ON cloud_actions (organization_id, completed_at_ms);
