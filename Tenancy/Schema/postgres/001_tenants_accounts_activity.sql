CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_organization ON users (organization_id);

CREATE TABLE aws_accounts (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    aws_account_id TEXT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX aws_accounts_aws_account ON aws_accounts (aws_account_id) WHERE aws_account_id IS NOT NULL;
CREATE INDEX aws_accounts_organization ON aws_accounts (organization_id);

CREATE TABLE revoked_tokens (
    token_id TEXT PRIMARY KEY,
    expires_at_ms BIGINT NOT NULL
);

CREATE TABLE activity_events (
    id BIGSERIAL PRIMARY KEY,
    organization_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    details TEXT NULL,
    occurred_at_ms BIGINT NOT NULL
);
CREATE INDEX activity_events_organization ON activity_events (organization_id, id);
