-- Capacity commitments an organization declared (issue 14): Reserved Instances and Savings Plans. The optimizer
-- never moves an On-Demand node one of them pays for, and the KPIs price covered nodes at their committed rate.
-- kind: reserved_instance (instance_type, region, optional zone, instance_count, hourly_rate or discount_percent),
-- ec2_instance_savings_plan (family, region, hourly_commitment, discount_percent),
-- compute_savings_plan (hourly_commitment, discount_percent).
CREATE TABLE commitments (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    instance_type TEXT NULL,
    family TEXT NULL,
    region TEXT NULL,
    zone TEXT NULL,
    instance_count BIGINT NOT NULL DEFAULT 0,
    hourly_rate REAL NULL,
    discount_percent REAL NULL,
    hourly_commitment REAL NOT NULL DEFAULT 0,
    starts_at_ms BIGINT NOT NULL,
    ends_at_ms BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX commitments_organization ON commitments (organization_id);
