-- The simulated AWS, one row per world seed: the snapshot as JSON and the version writers compare-and-swap on.
CREATE TABLE simulated_world (
    seed    INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    payload TEXT    NOT NULL
);
