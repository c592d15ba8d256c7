-- Warranty claims (the API grows into this table).
CREATE TABLE warranty_claims (
    claim_id     TEXT PRIMARY KEY,
    fleet_id     TEXT NOT NULL,
    vehicle_id   TEXT NOT NULL,
    component    TEXT NOT NULL,
    alert_id     TEXT,
    status       TEXT NOT NULL CHECK (status IN ('submitted', 'validated', 'rejected')),
    reason       TEXT,
    submitted_by TEXT NOT NULL,
    submitted_ms INTEGER NOT NULL,
    decided_ms   INTEGER
);
CREATE INDEX warranty_claims_fleet ON warranty_claims (fleet_id, submitted_ms DESC);
CREATE INDEX warranty_claims_vehicle ON warranty_claims (vehicle_id, submitted_ms DESC);
