-- Signed checkpoints let the chain stay verifiable when rows leave it or lose their personal data. "retention": rows
-- up to to_seq were archived and deleted; the first remaining row must link to last_hash. "erasure": rows
-- from_seq..to_seq had personal data redacted; their links must still hold and content_digest covers what they
-- hold now. The signature (HMAC with the platform's key) covers every column but id.
CREATE TABLE audit_checkpoints (
    id BIGSERIAL PRIMARY KEY,
    organization_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_seq BIGINT NOT NULL,
    to_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL,
    content_digest TEXT NULL,
    created_at_ms BIGINT NOT NULL,
    signature TEXT NOT NULL
);
CREATE INDEX audit_checkpoints_organization ON audit_checkpoints (organization_id, to_seq);

-- How long an organization keeps its ledger; no row means forever.
CREATE TABLE audit_retention (
    organization_id TEXT PRIMARY KEY,
    days BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);

-- What a retention run removed, as JSON with every hash, so the archived span can still be checked offline.
CREATE TABLE audit_archives (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    from_seq BIGINT NOT NULL,
    to_seq BIGINT NOT NULL,
    entry_count BIGINT NOT NULL,
    content TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX audit_archives_organization ON audit_archives (organization_id, created_at_ms);

-- Deleted organizations: their users' tokens are refused from then on, on every instance.
CREATE TABLE erased_organizations (
    organization_id TEXT PRIMARY KEY,
    erased_at_ms BIGINT NOT NULL
);
