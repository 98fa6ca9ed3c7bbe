-- The simulated AWS, one row per world seed: the snapshot as JSON and the version writers compare-and-swap on.
-- TEXT, not jsonb: the document is only ever read and written whole, and jsonb would re-parse it on every change.
CREATE TABLE simulated_world (
    seed    INTEGER PRIMARY KEY,
    version BIGINT  NOT NULL,
    payload TEXT    NOT NULL
);
