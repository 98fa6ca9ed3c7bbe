-- Issue 15: every model says which data it learned from. An upload may give the window (training_from / training_to);
-- models registered before this change, or uploaded without it, have none (NULL), never a guessed one.
ALTER TABLE ml_models ADD COLUMN training_from_ms BIGINT;
ALTER TABLE ml_models ADD COLUMN training_to_ms BIGINT;
