-- The Lab's model registry (issue 15; the seed's ml_models table): interruption models a super admin uploaded, each
-- stored only after it passed MOD-VAL-01 in the sandbox, with its bytes, so every instance serves the same model
-- without shared disk. (name, version) names a model for people; id is what the rest of the platform refers to.
CREATE TABLE ml_models (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at_ms BIGINT NOT NULL,
    validation_json TEXT NOT NULL,
    UNIQUE (name, version)
);
