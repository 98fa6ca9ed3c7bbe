-- Roles inside an organization: owner (everything), member (everything but team management), read_only (reads).
-- Everyone who existed before roles had signed their organization up, so they own it.
ALTER TABLE users ADD COLUMN org_role TEXT NOT NULL DEFAULT 'owner';

-- A sign-in session: the family of rotating refresh tokens one sign-in started and the access tokens issued from
-- them (their `sid` claim). Revoking the session stops all of them. No foreign keys to users or organizations, so
-- removing those never waits on sessions; a removed user's sessions are revoked, then expire.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    -- When the newest access token of the session expires: a revoked session is checked on every request until then.
    access_expires_at_ms BIGINT NOT NULL,
    -- When the newest refresh token of the session expires.
    expires_at_ms BIGINT NOT NULL,
    revoked_at_ms BIGINT NULL,
    revoked_reason TEXT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_revoked ON sessions (access_expires_at_ms) WHERE revoked_at_ms IS NOT NULL;

-- Refresh tokens by SHA-256 only. A spent token stays until it would have expired, so presenting it again is
-- recognised as reuse (a stolen copy) and revokes its session.
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    spent_at_ms BIGINT NULL
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Single-use password-reset links, by SHA-256 of their token.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    used_at_ms BIGINT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Pending invitations to join an organization with a role; the e-mailed token is kept as SHA-256 only.
CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    email TEXT NOT NULL,
    org_role TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    invited_by TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX invitations_token ON invitations (token_hash);
CREATE INDEX invitations_organization ON invitations (organization_id);
